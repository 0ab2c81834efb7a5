package dev.doorcast.relay;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.doorcast.DoorcastApplication;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.RedisServer;
import dev.doorcast.testing.SseReader;
import dev.doorcast.testing.TestMedia;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
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
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Two instances in one JVM and a real redis-server: a device posts to A, viewers watch on B. Someone else
 * with a plain Redis client writes to the same Redis, and none of it reaches B's viewers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisRelayTest {

    static final String FRONT = "relay-front-token";
    static final String SECRET = "relay-test-secret-shared-by-every-instance";
    static final RelayKey KEY = RelayKey.from(SECRET);
    static final String FRAMES = "doorcast:doorbell:frames";
    static final String AUDIO = "doorcast:doorbell:audio";
    static final String LATEST_FRAME = "doorcast:doorbell:latest-frame";

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
        return instanceWith("--doorcast.relay.secret=" + SECRET);
    }

    private static ConfigurableApplicationContext instanceWith(String... more) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--doorcast.demo.enabled=false", "--doorcast.security.device-token=" + Doorbell.TOKEN,
                "--doorcast.limits.max-device-fps=1000", "--doorcast.devices.front.token=" + FRONT,
                "--doorcast.relay.type=redis", "--spring.data.redis.url=" + redis.url()));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(DoorcastApplication.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static String relay(Doorbell instance) {
        return tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(instance.get("/api/v1/stream/stats").body()).path("relay").asString();
    }

    /** {@code doorcast_relay_rejected_total} for {@code reason}, as Prometheus scrapes it from the instance. */
    private static double rejected(Doorbell instance, String reason) {
        String scrape = new String(instance.get("/actuator/prometheus").body(), StandardCharsets.UTF_8);
        return scrape.lines()
                .filter(line -> line.startsWith("doorcast_relay_rejected_total{")
                        && line.contains("reason=\"" + reason + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no doorcast_relay_rejected_total{reason=\"" + reason
                        + "\"} in the scrape"));
    }

    private static void awaitRejected(Doorbell instance, String reason, double before, int more) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(rejected(instance, reason)).as("rejected for %s", reason)
                        .isGreaterThanOrEqualTo(before + more));
    }

    private static byte[] snapshot(Doorbell instance, String device) {
        return instance.get("/api/v1/stream/camera/snapshot?device=" + device).body();
    }

    /** B shows {@code jpeg} for the default device, relayed from A. */
    private static byte[] shownOnB(int n) {
        byte[] jpeg = TestMedia.jpeg(n);
        assertThat(onA.postFrame(jpeg).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(snapshot(onB, "doorbell")).isEqualTo(jpeg));
        return jpeg;
    }

    /** Reads B's audio until {@code pcm} arrives; before it, only the keep-alive's silence may have come. */
    private static void nextSoundIs(MjpegReader audio, byte[] pcm) throws Exception {
        ByteArrayOutputStream before = new ByteArrayOutputStream();
        byte[] window = audio.readBytes(pcm.length);
        while (!Arrays.equals(window, pcm)) {
            before.write(window[0]);
            window = Arrays.copyOfRange(window, 1, window.length + 1);
            window[window.length - 1] = audio.readBytes(1)[0];
            assertThat(before.size()).as("bytes before the genuine chunk").isLessThan(64 * 1024);
        }
        assertThat(before.toByteArray()).as("what came before the genuine chunk").isEqualTo(new byte[before.size()]);
    }

    /** A version 1 message, as every instance relayed before messages were signed. */
    private static byte[] unsignedFirstVersion(byte kind, byte[] payload) {
        ByteBuffer v1 = ByteBuffer.allocate(38 + payload.length);
        v1.put((byte) 1).put(kind).putLong(7).putLong(7).putLong(System.currentTimeMillis()).putLong(-1)
                .putInt(payload.length).put(payload);
        return v1.array();
    }

    private static byte[] signed(RelayKey key, String channel, byte kind, long receivedAt, byte[] payload) {
        return new RelayMessage(kind, UUID.randomUUID(), 1, receivedAt, null, payload)
                .seal(key, channel.getBytes(StandardCharsets.UTF_8));
    }

    /** Someone else with a plain Redis client and the Redis URL. */
    private record Intruder(RedisClient client, RedisCommands<byte[], byte[]> redis) implements AutoCloseable {

        static Intruder connect() {
            RedisClient client = RedisClient.create(RedisRelayTest.redis.url());
            return new Intruder(client, client.connect(ByteArrayCodec.INSTANCE).sync());
        }

        void publish(String channel, byte[] message) {
            redis.publish(channel.getBytes(StandardCharsets.UTF_8), message);
        }

        /** What an instance publishes on {@code channel} from now on. */
        BlockingQueue<byte[]> listen(String channel) {
            BlockingQueue<byte[]> heard = new LinkedBlockingQueue<>();
            StatefulRedisPubSubConnection<byte[], byte[]> pubSub = client.connectPubSub(ByteArrayCodec.INSTANCE);
            pubSub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] from, byte[] message) {
                    heard.add(message);
                }
            });
            pubSub.sync().subscribe(channel.getBytes(StandardCharsets.UTF_8));
            return heard;
        }

        @Override
        public void close() {
            client.shutdown();
        }
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
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                byte[] jpeg = TestMedia.jpeg(500 + i);
                byte[] pcm = TestMedia.pcm(i, 2048);
                sent.add(pcm);
                assertThat(onA.postFrame(jpeg).statusCode()).isEqualTo(200);
                assertThat(onA.postAudio(pcm, 9000 + i).statusCode()).isEqualTo(200);
                if (i == 0) {
                    // B had no frame yet: its stream opens with the first one relayed.
                    camera.readOpeningBoundary();
                }
                assertThat(partEqualTo(camera, jpeg).body()).isEqualTo(jpeg);
            }
            // Every chunk in order, byte for byte; a second without one (a loaded machine) brings silence.
            for (byte[] pcm : sent) {
                nextSoundIs(audio, pcm);
            }
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
    @Order(2)
    void forgedMessagesAreNotShownOrPlayedAndAreCounted() throws Exception {
        byte[] shown = shownOnB(800);
        long chunksBefore = onB.stats().path("audioChunksReceived").asLong();
        double version = rejected(onB, "version");
        double signature = rejected(onB, "signature");
        RelayKey otherKey = RelayKey.from("not-the-relay-secret-of-these-instances");
        long now = System.currentTimeMillis();

        try (Intruder intruder = Intruder.connect();
                MjpegReader audio = MjpegReader.open(port(b), "/api/v1/stream/audio", Duration.ofSeconds(5))) {
            await().until(() -> onB.stats().path("audioClientsConnected").asInt() == 1);
            intruder.publish(FRAMES, unsignedFirstVersion(RelayMessage.FRAME, TestMedia.jpeg(801)));
            intruder.publish(AUDIO, unsignedFirstVersion(RelayMessage.AUDIO, TestMedia.pcm(801, 2048)));
            intruder.publish(FRAMES, signed(otherKey, FRAMES, RelayMessage.FRAME, now, TestMedia.jpeg(802)));
            intruder.publish(AUDIO, signed(otherKey, AUDIO, RelayMessage.AUDIO, now, TestMedia.pcm(802, 2048)));

            awaitRejected(onB, "version", version, 2);
            awaitRejected(onB, "signature", signature, 2);
            assertThat(snapshot(onB, "doorbell")).isEqualTo(shown);
            byte[] genuine = TestMedia.pcm(803, 2048);
            assertThat(onA.postAudio(genuine, 803).statusCode()).isEqualTo(200);
            nextSoundIs(audio, genuine);
        }
        assertThat(onB.stats().path("audioChunksReceived").asLong()).isEqualTo(chunksBefore + 1);
    }

    @Test
    @Order(2)
    void signedBytesThatAreNoJpegOrTooLargeAreRefused() {
        byte[] shown = shownOnB(810);
        double tooLarge = rejected(onB, "too_large");
        double notMedia = rejected(onB, "not_media");
        byte[] megabyte = new byte[1024 * 1024];
        Arrays.fill(megabyte, (byte) 'x');
        long now = System.currentTimeMillis();

        try (Intruder intruder = Intruder.connect()) {
            intruder.publish(FRAMES, signed(KEY, FRAMES, RelayMessage.FRAME, now, megabyte));
            intruder.publish(FRAMES, signed(KEY, FRAMES, RelayMessage.FRAME, now, Arrays.copyOf(megabyte, 1024)));
        }

        awaitRejected(onB, "too_large", tooLarge, 1);
        awaitRejected(onB, "not_media", notMedia, 1);
        assertThat(snapshot(onB, "doorbell")).isEqualTo(shown);
    }

    @Test
    @Order(2)
    void aSignedChunkOfThreeBytesIsRefused() throws Exception {
        long chunksBefore = onB.stats().path("audioChunksReceived").asLong();
        double notMedia = rejected(onB, "not_media");

        try (Intruder intruder = Intruder.connect();
                MjpegReader audio = MjpegReader.open(port(b), "/api/v1/stream/audio", Duration.ofSeconds(5))) {
            await().until(() -> onB.stats().path("audioClientsConnected").asInt() == 1);
            intruder.publish(AUDIO, signed(KEY, AUDIO, RelayMessage.AUDIO, System.currentTimeMillis(),
                    new byte[] {0x11, 0x22, 0x33}));

            awaitRejected(onB, "not_media", notMedia, 1);
            byte[] genuine = TestMedia.pcm(820, 2048);
            assertThat(onA.postAudio(genuine, 820).statusCode()).isEqualTo(200);
            nextSoundIs(audio, genuine);
        }
        assertThat(onB.stats().path("audioChunksReceived").asLong()).isEqualTo(chunksBefore + 1);
    }

    @Test
    @Order(2)
    void aGenuineMessageReplayedElsewhereOrLaterIsRefused() throws Exception {
        byte[] front = TestMedia.jpeg(830);
        assertThat(onA.postFrame(front, Map.of("frame_id", "830"), FRONT).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(snapshot(onB, "front")).isEqualTo(front));
        double signature = rejected(onB, "signature");
        double replayed = rejected(onB, "replayed");
        double stale = rejected(onB, "stale");

        try (Intruder intruder = Intruder.connect()) {
            BlockingQueue<byte[]> heard = intruder.listen(FRAMES);
            byte[] forDoorbell = TestMedia.jpeg(831);
            assertThat(onA.postFrame(forDoorbell).statusCode()).isEqualTo(200);
            byte[] genuine = heard.poll(5, TimeUnit.SECONDS);
            assertThat(genuine).as("A's message for the default device").isNotNull();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(snapshot(onB, "doorbell")).isEqualTo(forDoorbell));
            long framesBefore = onB.stats().path("framesReceived").asLong();

            intruder.publish("doorcast:front:frames", genuine);
            intruder.publish(FRAMES, genuine);
            intruder.publish("doorcast:front:frames", signed(KEY, "doorcast:front:frames", RelayMessage.FRAME,
                    System.currentTimeMillis() - 60_000, TestMedia.jpeg(832)));

            awaitRejected(onB, "signature", signature, 1);
            awaitRejected(onB, "replayed", replayed, 1);
            awaitRejected(onB, "stale", stale, 1);
            assertThat(snapshot(onB, "front")).isEqualTo(front);
            assertThat(onB.stats().path("framesReceived").asLong()).as("nothing taken twice").isEqualTo(framesBefore);
        }
    }

    @Test
    @Order(2)
    void garbageOnTheLatestFrameKeyIsIgnoredAtReconnect() {
        byte[] shown = shownOnB(840);
        double tooLarge = rejected(onB, "too_large");
        double malformed = rejected(onB, "malformed");
        byte[] megabyte = new byte[1024 * 1024];
        megabyte[0] = RelayMessage.VERSION;

        try (Intruder intruder = Intruder.connect()) {
            intruder.redis().set(LATEST_FRAME.getBytes(StandardCharsets.UTF_8), megabyte);
            intruder.redis().clientKill(KillArgs.Builder.typeNormal());
            intruder.redis().clientKill(KillArgs.Builder.typePubsub());
            awaitRejected(onB, "too_large", tooLarge, 1);

            intruder.redis().set(LATEST_FRAME.getBytes(StandardCharsets.UTF_8),
                    "garbage".getBytes(StandardCharsets.UTF_8));
            intruder.redis().clientKill(KillArgs.Builder.typeNormal());
            awaitRejected(onB, "malformed", malformed, 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(relay(onA)) && "UP".equals(relay(onB)));
        assertThat(snapshot(onB, "doorbell")).isEqualTo(shown);
    }

    @Test
    @Order(2)
    void aRingOnOneInstanceReachesEventsStreamsOnTheOtherUnderItsNumber() throws Exception {
        byte[] who = TestMedia.jpeg(560);
        try (SseReader events = SseReader.open(port(b), "/api/v1/stream/events", Duration.ofSeconds(10))) {
            assertThat(events.status()).isEqualTo(200);
            events.nextEvent();
            onA.postFrame(who);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(onB.get("/api/v1/stream/camera/snapshot").body()).isEqualTo(who));
            long sent = System.nanoTime();
            long ringId = Doorbell.ringId(onA.ring());

            SseReader.Event ring = events.next("ring");
            assertThat(Duration.ofNanos(ring.arrivedNanos() - sent)).isLessThan(Duration.ofSeconds(1));
            assertThat(ring.json().path("ringId").asLong()).as("the same number on every instance").isEqualTo(ringId);
            assertThat(tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(onB.get("/api/v1/stream/rings").body()).path("rings").get(0).path("ringId").asLong())
                    .isEqualTo(ringId);
            assertThat(onB.get("/api/v1/stream/rings/" + ringId + "/snapshot").body())
                    .as("B's own copy of the frame A had").isEqualTo(who);
        }
    }

    @Test
    @Order(2)
    void voiceSaidOnOneInstanceReachesTheSpeakerOnTheOtherAndHoldsTheLineThere() throws Exception {
        try (MjpegReader speaker = MjpegReader.open(port(a), "/api/v1/devices/doorbell/speaker-stream",
                Duration.ofSeconds(5), "Authorization: Bearer " + Doorbell.TOKEN)) {
            assertThat(speaker.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> new String(onA.get("/actuator/prometheus").body())
                    .contains("doorcast_speaker_streams{device=\"doorbell\"} 1.0"));
            String talker = "relay-talker-" + System.nanoTime();
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            for (int i = 0; i < 8; i++) {
                byte[] pcm = TestMedia.pcm(800 + i, 2048);
                said.writeBytes(pcm);
                var answer = onB.talk("", talker, i, pcm);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            }
            nextSoundIs(speaker, said.toByteArray());

            var busy = onA.talk("", "another-talker-" + System.nanoTime(), 0, TestMedia.pcm(900, 2048));
            assertThat(busy.statusCode()).as("B's talker holds A's line too").isEqualTo(409);
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
        }
    }

    @Test
    @Order(4)
    void refusesToStartWithoutASecretOrWithAShortOne() {
        assertThatException().isThrownBy(() -> instanceWith().close()).havingRootCause()
                .withMessageContaining("doorcast.relay.secret").withMessageContaining("DOORCAST_RELAY_SECRET")
                .withMessageContaining("openssl rand -hex 32");
        assertThatException().isThrownBy(() -> instanceWith("--doorcast.relay.secret=too-short").close())
                .havingRootCause().withMessageContaining("at least 16").withMessageContaining("openssl rand -hex 32");
    }

    @Test
    @Order(3)
    void redisOutageKeepsLocalStreamingAndRelayingResumesWithinSeconds() throws Exception {
        redis.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> "DOWN".equals(relay(onA)));
        // The relay's part shows to the owner and Prometheus only; a DOWN part makes the whole DOWN for all.
        HttpResponse<byte[]> health = onA.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(new String(health.body())).contains("\"status\":\"DOWN\"");
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
