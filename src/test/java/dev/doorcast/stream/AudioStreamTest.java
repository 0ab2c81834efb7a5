package dev.doorcast.stream;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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

    @Test
    void wavStreamOpensWithAnEndlessHeaderThenCarriesThePcmUnchanged() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        await().until(() -> doorbell.stats().path("audioClientsConnected").asInt() == 0);
        try (MjpegReader listener = MjpegReader.open(port, "/api/v1/stream/audio?format=wav", Duration.ofSeconds(5))) {
            assertThat(listener.status()).isEqualTo(200);
            assertThat(listener.headers())
                    .containsEntry("content-type", "audio/wav")
                    .containsEntry("connection", "close")
                    .doesNotContainKey("transfer-encoding");
            ByteBuffer header = ByteBuffer.wrap(listener.readBytes(44)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(ascii(header, 0)).isEqualTo("RIFF");
            assertThat(header.getInt(4)).as("RIFF size: unknown, so the largest").isEqualTo(0xFFFF_FFFF);
            assertThat(ascii(header, 8)).isEqualTo("WAVE");
            assertThat(ascii(header, 12)).isEqualTo("fmt ");
            assertThat(header.getInt(16)).as("fmt chunk size").isEqualTo(16);
            assertThat(header.getShort(20)).as("format: integer PCM").isEqualTo((short) 1);
            assertThat(header.getShort(22)).as("channels").isEqualTo((short) 1);
            assertThat(header.getInt(24)).as("sample rate").isEqualTo(16_000);
            assertThat(header.getInt(28)).as("byte rate").isEqualTo(32_000);
            assertThat(header.getShort(32)).as("block align").isEqualTo((short) 2);
            assertThat(header.getShort(34)).as("bits per sample").isEqualTo((short) 16);
            assertThat(ascii(header, 36)).isEqualTo("data");
            assertThat(header.getInt(40)).as("data size: unknown, so the largest").isEqualTo(0xFFFF_FFFF);

            await().until(() -> doorbell.stats().path("audioClientsConnected").asInt() == 1);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int i = 0; i < 10; i++) {
                byte[] pcm = TestMedia.pcm(50 + i, 2048);
                sent.writeBytes(pcm);
                assertThat(doorbell.postAudio(pcm, 2_000_000 + i).statusCode()).isEqualTo(200);
            }
            assertThat(listener.readBytes(sent.size())).isEqualTo(sent.toByteArray());
        }
    }

    @Test
    void rejectsAnUnknownAudioFormat() {
        var response = new Doorbell(port).get("/api/v1/stream/audio?format=mp3");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("format must be pcm or wav");
    }

    private static String ascii(ByteBuffer bytes, int offset) {
        return new String(bytes.array(), offset, 4, StandardCharsets.US_ASCII);
    }
}
