package dev.doorcast.stream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ffmpeg (installed by .ci/run) is a strict, widely used MJPEG client: it must take the stream as is. */
@LiveServerTest
class FfmpegReaderTest {

    @LocalServerPort
    int port;

    @TempDir
    Path dir;

    @Test
    void framePostedByTheDeviceReachesARunningFfmpegReaderUnchanged() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        await().until(() -> doorbell.stats().path("videoClientsConnected").asInt() == 0);
        // ffmpeg writes every frame it reads, as is, until stopped; the first ones may be the newest frame
        // of an earlier test and its keep-alive repeats.
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-nostdin",
                "-i", "http://127.0.0.1:" + port + "/api/v1/stream/camera",
                "-c:v", "copy", "-f", "image2", "-y", dir.resolve("frame%04d.jpg").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("ffmpeg.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> doorbell.stats().path("videoClientsConnected").asInt() == 1);
            byte[] jpeg = TestMedia.jpeg(321);
            doorbell.postFrame(jpeg);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(framesWritten())
                    .as(Files.readString(dir.resolve("ffmpeg.log")))
                    .anySatisfy(frame -> assertThat(frame).isEqualTo(jpeg)));
            assertThat(ffmpeg.isAlive()).as("ffmpeg keeps reading the live stream").isTrue();
        } finally {
            ffmpeg.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private List<byte[]> framesWritten() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> frames = files.filter(f -> f.getFileName().toString().endsWith(".jpg")).sorted().toList();
            List<byte[]> bytes = new ArrayList<>();
            for (Path frame : frames) {
                bytes.add(Files.readAllBytes(frame));
            }
            return bytes;
        }
    }
}
