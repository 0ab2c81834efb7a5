package dev.doorcast.stream;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server of its own with a 1 s connection timeout, so that a viewer that never reads is dropped within
 * the test's patience rather than after the 5 s the application uses.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "server.tomcat.connection-timeout=1s",
        "doorcast.limits.max-device-fps=1000",
})
class StalledViewerTest {

    @LocalServerPort
    int port;

    @Test
    void viewerThatNeverReadsIsDroppedAndCountedWhileOthersKeepWatching() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        byte[] large = TestMedia.jpegOfSize(200_000);
        doorbell.postFrame(large);
        try (Socket frozen = new Socket();
                MjpegReader reader = MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(5))) {
            // A small receive window, so that the server's writes block after a few KB instead of a few MB.
            frozen.setReceiveBufferSize(4096);
            frozen.connect(new InetSocketAddress("127.0.0.1", port));
            frozen.getOutputStream().write(("GET /api/v1/stream/camera HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            reader.readOpeningBoundary();
            reader.nextPart();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> doorbell.stats().path("videoClientsConnected").asInt() == 2);
            long stalledBefore = doorbell.stats().path("viewersStalled").asLong();

            // Frames keep coming; the frozen viewer's socket fills and its write makes no progress for 1 s.
            // On a loaded machine a 200 KB post can itself trip the 1 s read timeout; such a post is simply
            // tried again at the next poll.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class).until(() -> {
                doorbell.postFrame(large);
                reader.nextPart();
                return doorbell.stats().path("videoClientsConnected").asInt() == 1;
            });

            assertThat(doorbell.stats().path("viewersStalled").asLong() - stalledBefore).isEqualTo(1);
            byte[] last = TestMedia.jpeg(3);
            doorbell.postFrame(last);
            MjpegReader.Part part;
            do {
                part = reader.nextPart();
            } while (part.body().length != last.length);
            assertThat(part.body()).as("the reading viewer still gets every new frame").isEqualTo(last);
        }
    }
}
