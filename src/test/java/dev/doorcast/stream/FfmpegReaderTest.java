package dev.doorcast.stream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
        Path out = dir.resolve("frame.jpg");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-nostdin",
                "-i", "http://127.0.0.1:" + port + "/api/v1/stream/camera",
                "-frames:v", "1", "-c:v", "copy", "-f", "image2", "-y", out.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("ffmpeg.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> doorbell.stats().path("videoClientsConnected").asInt() == 1);
            byte[] jpeg = TestMedia.jpeg(321);
            doorbell.postFrame(jpeg, 321);

            assertThat(ffmpeg.waitFor(20, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
            assertThat(ffmpeg.exitValue()).as(Files.readString(dir.resolve("ffmpeg.log"))).isZero();
            assertThat(Files.readAllBytes(out)).isEqualTo(jpeg);
        } finally {
            ffmpeg.destroyForcibly();
        }
    }
}
