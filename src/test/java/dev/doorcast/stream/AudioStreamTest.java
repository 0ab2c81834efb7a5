package dev.doorcast.stream;

import java.io.ByteArrayOutputStream;
import java.time.Duration;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@LiveServerTest
class AudioStreamTest {

    @LocalServerPort
    int port;

    @Test
    void headersArriveAtOnceAndDescribeThePcm() throws Exception {
        try (MjpegReader listener = MjpegReader.open(port, "/api/v1/stream/audio", Duration.ofSeconds(5))) {
            assertThat(listener.status()).isEqualTo(200);
            assertThat(listener.headers())
                    .containsEntry("content-type", "audio/pcm")
                    .containsEntry("x-sample-rate", "16000")
                    .containsEntry("x-channels", "1")
                    .containsEntry("x-bit-depth", "16")
                    .doesNotContainKey("transfer-encoding");
        }
    }

    @Test
    void chunksArriveInOrderEachOnce() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        try (MjpegReader listener = MjpegReader.open(port, "/api/v1/stream/audio", Duration.ofSeconds(5))) {
            await().until(() -> doorbell.stats().path("audioClientsConnected").asInt() >= 1);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                byte[] pcm = TestMedia.pcm(i, 2048);
                sent.writeBytes(pcm);
                var response = doorbell.postAudio(pcm, 1000 + i);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("\"sequence\":" + (1000 + i)).contains("\"size\":2048");
            }

            assertThat(listener.readBytes(sent.size())).isEqualTo(sent.toByteArray());
            assertThat(listener.quietFor(Duration.ofMillis(300)))
                    .as("nothing more than what was sent: no chunk twice").isTrue();
        }
    }
}
