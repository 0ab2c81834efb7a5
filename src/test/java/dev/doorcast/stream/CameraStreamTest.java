package dev.doorcast.stream;

import java.lang.reflect.Method;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import dev.doorcast.tomcat.StreamConnection;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http11.upgrade.UpgradeProcessorBase;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@LiveServerTest
class CameraStreamTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    @LocalServerPort
    int port;

    @Autowired
    ServletWebServerApplicationContext server;

    Doorbell doorbell;

    @BeforeEach
    void setUp() {
        doorbell = new Doorbell(port);
    }

    private MjpegReader openCamera() throws Exception {
        return MjpegReader.open(port, "/api/v1/stream/camera", READ_TIMEOUT);
    }

    @Test
    void streamIsCloseDelimitedMultipartWithNoCaching() throws Exception {
        try (MjpegReader viewer = openCamera()) {
            assertThat(viewer.status()).isEqualTo(200);
            assertThat(viewer.headers().get("content-type")).isEqualTo("multipart/x-mixed-replace;boundary=doorcast");
            assertThat(viewer.headers()).doesNotContainKey("transfer-encoding").doesNotContainKey("content-length");
            assertThat(viewer.headers().get("connection")).isEqualToIgnoringCase("close");
            assertThat(viewer.headers().get("x-accel-buffering")).isEqualTo("no");
            assertThat(viewer.headers().get("cache-control")).contains("no-store");
        }
    }

    @Test
    void newViewerGetsLatestFrameImmediately() throws Exception {
        byte[] jpeg = TestMedia.jpeg(1);
        assertThat(doorbell.postFrame(jpeg).statusCode()).isEqualTo(200);

        try (MjpegReader viewer = openCamera()) {
            viewer.readOpeningBoundary();
            MjpegReader.Part part = viewer.nextPart();

            assertThat(part.body()).isEqualTo(jpeg);
            assertThat(part.headers().get("content-type")).isEqualTo("image/jpeg");
            assertThat(part.headers().get("content-length")).isEqualTo(String.valueOf(jpeg.length));
        }
    }

    @Test
    void viewerReceivesEachNewFrameWhileTheStreamStaysOpen() throws Exception {
        doorbell.postFrame(TestMedia.jpeg(2));
        try (MjpegReader viewer = openCamera()) {
            viewer.readOpeningBoundary();
            long first = viewer.nextPart().sequence();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 10; i < 15; i++) {
                byte[] jpeg = TestMedia.jpeg(i);
                sent.add(jpeg);
                doorbell.postFrame(jpeg);
                MjpegReader.Part part = viewer.nextPart();
                // One part arrived per frame, while the response is still open: nothing waits for the end.
                assertThat(part.body()).isEqualTo(jpeg);
                assertThat(part.sequence()).isEqualTo(first + sent.size());
            }
        }
    }

    @Test
    void snapshotIsTheLastPostedFrameByteForByte() {
        byte[] jpeg = TestMedia.jpeg(77);
        doorbell.postFrame(TestMedia.jpeg(76));
        doorbell.postFrame(jpeg);

        var snapshot = doorbell.get("/api/v1/stream/camera/snapshot");

        assertThat(snapshot.statusCode()).isEqualTo(200);
        assertThat(snapshot.headers().firstValue("content-type")).hasValue("image/jpeg");
        assertThat(snapshot.body()).isEqualTo(jpeg);
    }

    @Test
    void syncedFrameIsTheOneNearestTheAudioTimestamp() throws Exception {
        byte[] jpeg = TestMedia.jpeg(88);
        doorbell.postFrame(jpeg);
        long arrivedAt = Long.parseLong(doorbell.get("/api/v1/stream/camera/snapshot").headers()
                .firstValue("x-timestamp").orElseThrow());

        var synced = doorbell.get("/api/v1/stream/camera/synced?audioTimestamp=" + (arrivedAt + 40));
        var tooFar = doorbell.get("/api/v1/stream/camera/synced?audioTimestamp=" + (arrivedAt + 60_000));
        var missing = doorbell.get("/api/v1/stream/camera/synced");

        assertThat(synced.statusCode()).isEqualTo(200);
        assertThat(synced.body()).isEqualTo(jpeg);
        assertThat(tooFar.statusCode()).isEqualTo(404);
        assertThat(new String(tooFar.body())).contains("\"success\":false");
        assertThat(missing.statusCode()).isEqualTo(400);
    }

    @Test
    void viewerCountRisesAndFallsWithConnections() throws Exception {
        doorbell.postFrame(TestMedia.jpeg(3));
        // Viewers of earlier tests are gone once the server has noticed (at its next write).
        await().atMost(Duration.ofSeconds(5)).until(
                () -> doorbell.stats().path("videoClientsConnected").asInt() == 0);
        int before = 0;
        List<MjpegReader> viewers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            viewers.add(openCamera());
        }

        await().atMost(Duration.ofSeconds(5)).until(
                () -> doorbell.stats().path("videoClientsConnected").asInt() == before + 3);
        assertThat(doorbell.postFrame(TestMedia.jpeg(4)).body()).contains("\"clients\":" + (before + 3));

        for (MjpegReader viewer : viewers) {
            viewer.close();
        }
        // A viewer that left is found at its next write: a new frame or the 1 s keep-alive.
        await().atMost(Duration.ofSeconds(5)).until(
                () -> doorbell.stats().path("videoClientsConnected").asInt() == before);
    }

    @Test
    void slowViewerSkipsFramesInsteadOfQueuingThem() throws Exception {
        doorbell.postFrame(TestMedia.jpeg(5));
        try (MjpegReader viewer = openCamera()) {
            viewer.readOpeningBoundary();
            long first = viewer.nextPart().sequence();
            long droppedBefore = doorbell.stats().path("framesDropped").asLong();
            // Ten frames arrive while this viewer reads nothing; they are small, so they fit in the socket
            // buffers, but the viewer's writer takes only the newest when it next looks.
            byte[] last = null;
            for (int i = 0; i < 10; i++) {
                last = TestMedia.jpeg(100 + i);
                doorbell.postFrame(last);
            }
            MjpegReader.Part part;
            do {
                part = viewer.nextPart();
            } while (part.sequence() < first + 10);

            assertThat(part.body()).isEqualTo(last);
            long dropped = doorbell.stats().path("framesDropped").asLong() - droppedBefore;
            assertThat(dropped).as("frames this viewer skipped").isBetween(0L, 9L);
            assertThat(doorbell.stats().path("framesEvicted").asLong())
                    .as("ring evictions are counted apart from what viewers missed").isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void fpsParameterCapsTheFrameRateForOneViewer() throws Exception {
        doorbell.postFrame(TestMedia.jpeg(6));
        try (MjpegReader capped = MjpegReader.open(port, "/api/v1/stream/camera?fps=2", READ_TIMEOUT);
                MjpegReader full = openCamera()) {
            capped.readOpeningBoundary();
            full.readOpeningBoundary();
            long cappedFirst = capped.nextPart().sequence();
            long fullFirst = full.nextPart().sequence();
            // 20 frames in about a second: the capped viewer gets at most 2 per second of them.
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                doorbell.postFrame(TestMedia.jpeg(200 + i));
                Thread.sleep(50);
            }
            long last = fullFirst + 20;
            long fullCount = 0;
            for (long seq = fullFirst; seq < last; ) {
                seq = full.nextPart().sequence();
                fullCount++;
            }
            long cappedCount = 0;
            long cappedSeq = cappedFirst;
            while (cappedSeq < cappedFirst + 20) {
                cappedSeq = capped.nextPart().sequence();
                cappedCount++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(fullCount).isGreaterThanOrEqualTo(15);
            assertThat(cappedCount).as("parts at fps=2 over %.1f s", seconds).isLessThanOrEqualTo((long) (seconds * 2) + 1);
            assertThat(cappedSeq).as("the capped viewer still ends on the newest frame").isEqualTo(cappedFirst + 20);
        }
    }

    @Test
    void keepAliveRepeatsWhatASlowFpsViewerShowsNotTheNewestFrame() throws Exception {
        doorbell.postFrame(TestMedia.jpeg(7));
        try (MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera?fps=0.2", READ_TIMEOUT)) {
            viewer.readOpeningBoundary();
            MjpegReader.Part first = viewer.nextPart();
            // New frames keep coming, but at fps=0.2 the next new one is due only after 5 s; the keep-alive
            // after 1 s must repeat the frame this viewer has.
            for (int i = 0; i < 12; i++) {
                doorbell.postFrame(TestMedia.jpeg(300 + i));
                Thread.sleep(100);
            }
            MjpegReader.Part keepAlive = viewer.nextPart();

            assertThat(keepAlive.sequence()).isEqualTo(first.sequence());
            assertThat(keepAlive.body()).isEqualTo(first.body());
        }
    }

    @Test
    void fpsOutOfRangeIsABadRequest() {
        var response = doorbell.get("/api/v1/stream/camera?fps=0");
        var notANumber = doorbell.get("/api/v1/stream/camera?fps=fast");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new String(response.body())).contains("fps");
        assertThat(notANumber.statusCode()).isEqualTo(400);
    }

    @Test
    void aStreamLeavesHttpOnceItsHeadersAreOutAndGoesOn() throws Exception {
        doorbell.postFrame(TestMedia.jpeg(40));
        try (MjpegReader viewer = openCamera()) {
            viewer.readOpeningBoundary();
            viewer.nextPart();
            // Tomcat finished the request and handed the socket to a StreamConnection, which holds none of it.
            await().atMost(Duration.ofSeconds(5)).until(() -> handedOver() == 1);
            // Frames still come (past the keep-alive repeats of frame 40 sent while this waited).
            byte[] jpeg = TestMedia.jpeg(41);
            doorbell.postFrame(jpeg);
            List<byte[]> received = new ArrayList<>();
            while (received.size() < 5 && (received.isEmpty() || !Arrays.equals(received.getLast(), jpeg))) {
                received.add(viewer.nextPart().body());
            }
            assertThat(received.getLast()).isEqualTo(jpeg);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> handedOver() == 0);
    }

    /** Tomcat's connections whose processor is an upgrade to a {@link StreamConnection}. */
    private long handedOver() throws ReflectiveOperationException {
        AbstractProtocol<?> protocol = (AbstractProtocol<?>) ((TomcatWebServer) server.getWebServer()).getTomcat()
                .getConnector().getProtocolHandler();
        Method endpoint = AbstractProtocol.class.getDeclaredMethod("getEndpoint");
        endpoint.setAccessible(true);
        return ((AbstractEndpoint<?, ?>) endpoint.invoke(protocol)).getConnections().stream()
                .filter(connection -> connection.getCurrentProcessor() instanceof UpgradeProcessorBase upgrade
                        && upgrade.getUpgradeToken().httpUpgradeHandler() instanceof StreamConnection)
                .count();
    }

    @Test
    void headGetsTheStreamsHeadersAndNoBody() throws Exception {
        doorbell.postFrame(TestMedia.jpeg(50));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("HEAD /api/v1/stream/camera HTTP/1.1\r\nHost: doorcast\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            // Up to the end, where the server closes the connection after the headers; a stream that went on
            // would fill these 16 KB with parts within seconds instead.
            String answer = new String(socket.getInputStream().readNBytes(16 * 1024), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 200")
                    .contains("Content-Type: multipart/x-mixed-replace;boundary=doorcast")
                    .endsWith("\r\n\r\n");
        }
    }
}
