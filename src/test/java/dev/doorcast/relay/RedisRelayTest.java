package dev.doorcast.relay;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import dev.doorcast.DoorcastApplication;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.RedisServer;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two instances in one JVM and a real redis-server: a device posts to A, viewers watch on B. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisRelayTest {

    static final String FRONT = "relay-front-token";

    @TempDir
    static Path dir;

    static RedisServer redis;
    static ConfigurableApplicationContext a;
    static ConfigurableApplicationContext b;
    static Doorbell onA;
    static Doorbell onB;

    @BeforeAll
    static void startRedisAndTwoInstances() throws Exception {
        redis = new RedisServer(dir).start();
        a = instance();
        b = instance();
        onA = new Doorbell(port(a));
        onB = new Doorbell(port(b));
        await().atMost(Duration.ofSeconds(10)).until(
                () -> "UP".equals(relay(onA)) && "UP".equals(relay(onB)));
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        redis.close();
    }

    private static ConfigurableApplicationContext instance() {
        return new SpringApplicationBuilder(DoorcastApplication.class).run("--server.port=0",
                "--doorcast.demo.enabled=false", "--doorcast.security.device-token=" + Doorbell.TOKEN,
                "--doorcast.limits.max-device-fps=1000", "--doorcast.devices.front.token=" + FRONT,
                "--doorcast.relay.type=redis", "--spring.data.redis.url=" + redis.url());
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static String relay(Doorbell instance) {
        return tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(instance.get("/api/v1/stream/stats").body()).path("relay").asString();
    }

    private static MjpegReader.Part partEqualTo(MjpegReader viewer, byte[] jpeg) throws Exception {
        MjpegReader.Part part;
        do {
            part = viewer.nextPart();
        } while (!Arrays.equals(part.body(), jpeg));
        return part;
    }

    @Test
    @Order(1)
    void framesAndAudioPostedToOneInstanceStreamFromTheOtherByteForByte() throws Exception {
        try (MjpegReader camera = MjpegReader.open(port(b), "/api/v1/stream/camera", Duration.ofSeconds(5));
                MjpegReader audio = MjpegReader.open(port(b), "/api/v1/stream/audio", Duration.ofSeconds(5))) {
            await().until(() -> onB.stats().path("audioClientsConnected").asInt() == 1);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int i = 0; i < 5; i++) {
                byte[] jpeg = TestMedia.jpeg(500 + i);
                byte[] pcm = TestMedia.pcm(i, 2048);
                sent.writeBytes(pcm);
                assertThat(onA.postFrame(jpeg).statusCode()).isEqualTo(200);
                assertThat(onA.postAudio(pcm, 9000 + i).statusCode()).isEqualTo(200);
                if (i == 0) {
                    // B had no frame yet: its stream opens with the first one relayed.
                    camera.readOpeningBoundary();
                }
                assertThat(partEqualTo(camera, jpeg).body()).isEqualTo(jpeg);
            }
            assertThat(audio.readBytes(sent.size())).isEqualTo(sent.toByteArray());
            assertThat(onA.stats().path("videoClientsConnected").asInt()).as("viewers are per instance").isZero();
        }
    }

    @Test
    @Order(2)
    void devicesStayApartAcrossInstances() throws Exception {
        byte[] front = TestMedia.jpeg(550);
        byte[] defaultBefore = onB.get("/api/v1/stream/camera/snapshot").body();

        assertThat(onA.postFrame(front, java.util.Map.of("frame_id", "1"), FRONT).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(onB.get("/api/v1/stream/camera/snapshot?device=front").body()).isEqualTo(front));
        assertThat(onB.get("/api/v1/stream/camera/snapshot").body()).isEqualTo(defaultBefore);
    }

    @Test
    @Order(2)
    void aNewInstanceShowsTheNewestFrameAtOnce() throws Exception {
        byte[] latest = TestMedia.jpeg(600);
        onA.postFrame(latest);
        ConfigurableApplicationContext c = instance();
        try (MjpegReader viewer = MjpegReader.open(port(c), "/api/v1/stream/camera", Duration.ofSeconds(5))) {
            viewer.readOpeningBoundary();
            assertThat(viewer.nextPart().body()).isEqualTo(latest);
        } finally {
            c.close();
        }
    }

    @Test
    @Order(3)
    void redisOutageKeepsLocalStreamingAndRelayingResumesWithinSeconds() throws Exception {
        redis.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> "DOWN".equals(relay(onA)));
        // The relay's part shows to the owner and Prometheus only; a DOWN part makes the whole DOWN for all.
        assertThat(new String(onA.get("/actuator/health").body())).contains("\"status\":\"DOWN\"");
        assertThat(onA.get("/actuator/health/liveness").statusCode()).isEqualTo(200);

        try (MjpegReader local = MjpegReader.open(port(a), "/api/v1/stream/camera", Duration.ofSeconds(5))) {
            local.readOpeningBoundary();
            byte[] during = TestMedia.jpeg(700);
            long start = System.nanoTime();
            assertThat(onA.postFrame(during).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("POST does not wait on Redis")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(partEqualTo(local, during).body()).isEqualTo(during);
        }

        redis.start();
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(relay(onA)) && "UP".equals(relay(onB)));
        try (MjpegReader remote = MjpegReader.open(port(b), "/api/v1/stream/camera", Duration.ofSeconds(5))) {
            remote.readOpeningBoundary();
            byte[] after = TestMedia.jpeg(701);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                onA.postFrame(after);
                assertThat(remote.nextPart().body()).isEqualTo(after);
            });
        }
        assertThat(Duration.ofNanos(System.nanoTime() - back)).as("relaying resumed").isLessThan(Duration.ofSeconds(8));
    }
}
