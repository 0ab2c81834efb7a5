package dev.doorcast.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** ffprobe (from ffmpeg, installed by .ci/run) reads the WAV stream as players do and must accept it. */
@LiveServerTest
class FfprobeWavTest {

    @LocalServerPort
    int port;

    @Test
    void ffprobeReadsTheWavStreamAsSixteenKilohertzMonoPcm() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        AtomicInteger chunk = new AtomicInteger();
        // ffprobe reads a few seconds of the live stream before it answers, so the device must keep talking.
        ScheduledExecutorService device = Executors.newSingleThreadScheduledExecutor();
        device.scheduleAtFixedRate(() -> {
            int n = chunk.getAndIncrement();
            doorbell.postAudio(TestMedia.pcm(n, 2048), 3_000_000 + n);
        }, 0, 64, TimeUnit.MILLISECONDS);
        try {
            Process ffprobe = new ProcessBuilder("ffprobe", "-v", "error",
                    "-show_entries", "stream=codec_name,sample_rate,channels,bits_per_sample",
                    "-of", "default=noprint_wrappers=1",
                    "http://127.0.0.1:" + port + "/api/v1/stream/audio?format=wav")
                    .redirectErrorStream(true)
                    .start();
            boolean finished = ffprobe.waitFor(Duration.ofSeconds(20).toSeconds(), TimeUnit.SECONDS);
            String output = new String(ffprobe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ffprobe.destroyForcibly();

            assertThat(finished).as("ffprobe answers on a live stream").isTrue();
            assertThat(ffprobe.exitValue()).as(output).isZero();
            assertThat(output.lines()).contains("codec_name=pcm_s16le", "sample_rate=16000", "channels=1",
                    "bits_per_sample=16");
        } finally {
            device.shutdownNow();
        }
    }
}
