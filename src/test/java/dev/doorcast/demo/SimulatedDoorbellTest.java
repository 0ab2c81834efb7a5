package dev.doorcast.demo;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.LocalTime;

import javax.imageio.ImageIO;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.MjpegReader;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The local run as a newcomer gets it: no token configured, the simulated doorbell on. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SimulatedDoorbellTest {

    @LocalServerPort
    int port;

    @Test
    void demoFramesAreRealMovingJpegs() throws Exception {
        DemoFrames frames = new DemoFrames(320, 240, 0.9f);
        byte[] first = frames.render(0, LocalTime.NOON);
        byte[] later = frames.render(5, LocalTime.NOON.plusSeconds(1));

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(first));
        assertThat(image.getWidth()).isEqualTo(320);
        assertThat(image.getHeight()).isEqualTo(240);
        assertThat(later).isNotEqualTo(first);
    }

    @Test
    void demoToneIsAContinuousAudibleSignal() {
        DemoTone tone = new DemoTone();
        byte[] chunk = tone.next(2048);
        byte[] next = tone.next(2048);

        assertThat(peak(chunk)).as("the chime at the start of each period").isGreaterThan(5000);
        assertThat(next).isNotEqualTo(chunk);
    }

    @Test
    void streamsMoveAsSoonAsTheServerStarts() throws Exception {
        Doorbell viewer = new Doorbell(port);
        await().atMost(Duration.ofSeconds(10)).until(
                () -> viewer.stats().path("framesReceived").asLong() >= 2
                        && viewer.stats().path("audioChunksReceived").asLong() >= 2);

        try (MjpegReader camera = MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(5))) {
            camera.readOpeningBoundary();
            MjpegReader.Part first = camera.nextPart();
            MjpegReader.Part second = camera.nextPart();
            assertThat(ImageIO.read(new ByteArrayInputStream(first.body()))).isNotNull();
            assertThat(second.sequence()).isGreaterThan(first.sequence());
            assertThat(second.body()).isNotEqualTo(first.body());
        }
        try (MjpegReader audio = MjpegReader.open(port, "/api/v1/stream/audio", Duration.ofSeconds(5))) {
            assertThat(audio.readBytes(16_000)).isNotEqualTo(new byte[16_000]);
        }
    }

    private static int peak(byte[] pcm) {
        int peak = 0;
        for (int i = 0; i + 1 < pcm.length; i += 2) {
            peak = Math.max(peak, Math.abs((short) ((pcm[i] & 0xFF) | (pcm[i + 1] << 8))));
        }
        return peak;
    }
}
