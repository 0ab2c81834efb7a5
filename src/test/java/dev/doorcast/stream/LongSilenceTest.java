package dev.doorcast.stream;

import java.time.Duration;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@LiveServerTest
class LongSilenceTest {

    @LocalServerPort
    int port;

    @Test
    void streamOutlivesFortySecondsOfDeviceSilence() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        byte[] before = TestMedia.jpeg(60);
        doorbell.postFrame(before);
        try (MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(5))) {
            viewer.readOpeningBoundary();
            MjpegReader.Part first = viewer.nextPart();
            long deadline = System.nanoTime() + Duration.ofSeconds(41).toNanos();
            int keepAlives = 0;
            while (System.nanoTime() < deadline) {
                // Each read waits at most 5 s: the keep-alive re-sends the newest frame about every second.
                MjpegReader.Part again = viewer.nextPart();
                assertThat(again.body()).isEqualTo(before);
                assertThat(again.sequence()).isEqualTo(first.sequence());
                keepAlives++;
            }
            assertThat(keepAlives).isBetween(30, 60);

            byte[] after = TestMedia.jpeg(61);
            doorbell.postFrame(after);
            MjpegReader.Part part;
            do {
                part = viewer.nextPart();
            } while (part.sequence() == first.sequence());
            assertThat(part.body()).isEqualTo(after);
        }
    }
}
