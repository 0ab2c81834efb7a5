package dev.doorcast.stream;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server of its own (its settings differ from the shared one), so that the tests can see it before the
 * doorbell's first frame, and fill its small viewer limit without disturbing anyone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.limits.max-viewers=3",
        "doorcast.presence.offline-after=1s",
        "doorcast.limits.max-device-fps=1000",
        "doorcast.security.metrics-token=" + NewServerTest.METRICS_TOKEN,
})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NewServerTest {

    static final String METRICS_TOKEN = "metrics-token-0123456789";

    @LocalServerPort
    int port;

    @Test
    @Order(1)
    void beforeTheFirstFrameSnapshotIsNotFoundAndStatsAreEmpty() {
        Doorbell doorbell = new Doorbell(port);

        HttpResponse<byte[]> snapshot = doorbell.get("/api/v1/stream/camera/snapshot");

        assertThat(snapshot.statusCode()).isEqualTo(404);
        assertThat(snapshot.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(new String(snapshot.body())).contains("\"success\":false");
        var stats = doorbell.stats();
        assertThat(stats.path("framesReceived").asLong()).isZero();
        assertThat(stats.path("lastFrameTime").isNull()).isTrue();
        assertThat(stats.path("streamActive").path("video").asBoolean()).isFalse();
        assertThat(stats.path("bufferUsage").path("frames").asString()).isEqualTo("0/30");
    }

    @Test
    @Order(1)
    void viewerWhoLeavesBeforeTheFirstFrameIsForgottenWithinSeconds() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(5));
        await().until(() -> doorbell.stats().path("videoClientsConnected").asInt() == 1);

        viewer.close();

        // No frame to repeat: the keep-alive's blank preamble lines find out instead.
        await().atMost(Duration.ofSeconds(5)).until(() -> doorbell.stats().path("videoClientsConnected").asInt() == 0);
        assertThat(doorbell.stats().path("framesReceived").asLong()).isZero();
    }

    @Test
    @Order(2)
    void viewerGetsHeadersAtOnceAndTheFirstFrameWhenItComes() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        try (MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(5))) {
            // The head arrived though no frame exists yet.
            assertThat(viewer.status()).isEqualTo(200);
            assertThat(viewer.quietFor(Duration.ofMillis(300))).isTrue();

            byte[] first = TestMedia.jpeg(42);
            doorbell.postFrame(first);

            viewer.readOpeningBoundary();
            assertThat(viewer.nextPart().body()).isEqualTo(first);
        }
    }

    @Test
    @Order(3)
    void viewerPastTheLimitGets503WithRetryAfterAndOthersKeepStreaming() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        await().until(() -> doorbell.stats().path("videoClientsConnected").asInt() == 0);
        List<MjpegReader> viewers = new ArrayList<>();
        try {
            viewers.add(MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(5)));
            viewers.add(MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(5)));
            viewers.add(MjpegReader.open(port, "/api/v1/stream/audio", Duration.ofSeconds(5)));

            try (MjpegReader refused = MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(5))) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.headers()).containsEntry("retry-after", "5")
                        .containsEntry("content-type", "application/problem+json");
            }

            byte[] jpeg = TestMedia.jpeg(43);
            doorbell.postFrame(jpeg);
            for (MjpegReader viewer : viewers.subList(0, 2)) {
                viewer.readOpeningBoundary();
                MjpegReader.Part part;
                do {
                    part = viewer.nextPart();
                } while (!java.util.Arrays.equals(part.body(), jpeg));
            }
        } finally {
            for (MjpegReader viewer : viewers) {
                viewer.close();
            }
        }
    }

    @Test
    @Order(4)
    void oversizedFrameIs413AndNothingIsStored() {
        Doorbell doorbell = new Doorbell(port);
        long before = doorbell.stats().path("framesReceived").asLong();

        HttpResponse<String> response = doorbell.postFrame(TestMedia.jpegOfSize(300 * 1024));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"success\":false");
        assertThat(doorbell.stats().path("framesReceived").asLong()).isEqualTo(before);
    }

    @Test
    @Order(5)
    void frameJustUnderTheLimitIsAccepted() {
        Doorbell doorbell = new Doorbell(port);
        byte[] big = TestMedia.jpegOfSize(250 * 1024);

        HttpResponse<String> response = doorbell.postFrame(big);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(doorbell.get("/api/v1/stream/camera/snapshot").body()).isEqualTo(big);
    }

    @Test
    @Order(6)
    void oversizedAudioWithoutContentLengthIsRefusedWhileReading() throws IOException {
        Doorbell doorbell = new Doorbell(port);
        long before = doorbell.stats().path("audioChunksReceived").asLong();

        // A chunked upload declares no length, so the limit must hold while reading the body.
        int status = doorbell.postAudioChunked(new byte[64 * 1024]);

        assertThat(status).isEqualTo(413);
        assertThat(doorbell.stats().path("audioChunksReceived").asLong()).isEqualTo(before);
    }

    @Test
    @Order(7)
    void healthSaysOfflineWhenTheDoorbellIsQuietButStaysHttp200AndLive() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(11));

        assertThat(new String(doorbell.get("/actuator/health", METRICS_TOKEN).body()))
                .contains("\"doorbell\":{\"status\":\"UP\"}");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<byte[]> health = doorbell.get("/actuator/health", METRICS_TOKEN);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(new String(health.body())).contains("\"status\":\"OFFLINE\"")
                    .as("an offline doorbell leaves the overall status UP").endsWith("\"status\":\"UP\"}");
        });
        HttpResponse<byte[]> liveness = doorbell.get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(new String(liveness.body())).contains("\"status\":\"UP\"").doesNotContain("doorbell");
        assertThat(doorbell.stats().path("streamActive").path("video").asBoolean()).isFalse();

        doorbell.postFrame(TestMedia.jpeg(12));
        assertThat(new String(doorbell.get("/actuator/health").body())).endsWith("\"status\":\"UP\"}");
    }

    @Test
    @Order(8)
    void statsCarryTheServerClockSoClientsCanAgeTheNewestFrame() {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(7));
        long before = System.currentTimeMillis();

        var stats = doorbell.stats();

        assertThat(stats.path("serverTime").asLong()).isBetween(before, System.currentTimeMillis());
        assertThat(stats.path("serverTime").asLong()).isGreaterThanOrEqualTo(stats.path("lastFrameTime").asLong());
        assertThat(stats.path("definitions").path("serverTime").asString()).contains("epoch milliseconds");
    }
}
