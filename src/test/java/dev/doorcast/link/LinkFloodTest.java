package dev.doorcast.link;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.doorcast.testing.LinkClient;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Links share a few poller threads: a doorbell that sends as fast as its connection allows, and never reads,
 * must not hold up another doorbell's link on the same server. The flood is read a round at a time, the
 * other links having their turn in between; what breaks the limits is refused and stored nowhere.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.devices.calm.token=calm-doorbell-token-0123456789",
        "doorcast.devices.flood.token=flood-doorbell-token-0123456789",
        "doorcast.devices.spacer.token=spacer-doorbell-token-0123456789",
})
class LinkFloodTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicLong IDS = new AtomicLong(1000);

    @LocalServerPort
    int port;

    @Test
    void aDoorbellFloodingItsLinkDoesNotHoldUpAnotherDoorbellsAudio() throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong floodBytes = new AtomicLong();
        // Links go to the pollers in turn, and there are one or two: with a link between them, the flood's
        // and the calm doorbell's share a poller.
        try (Socket flood = openRaw("flood-doorbell-token-0123456789");
                LinkClient spacer = LinkClient.open(port, "spacer-doorbell-token-0123456789");
                LinkClient calm = LinkClient.open(port, "calm-doorbell-token-0123456789");
                MjpegReader listener = MjpegReader.open(port, "/api/v1/stream/audio?device=calm", WAIT)) {
            // Frames far past the frame rate, back to back, from a doorbell that never reads its notices.
            byte[] jpeg = TestMedia.jpegOfSize(9000);
            byte[] frame = LinkClient.masked(0x82, LinkClient.message(LinkClient.FRAME, 1, 0, jpeg));
            Thread flooder = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = flood.getOutputStream();
                    while (flooding.get()) {
                        out.write(frame);
                        floodBytes.addAndGet(frame.length);
                    }
                } catch (Exception closed) {
                    // The test is over, or the server ended the flood's link.
                }
            });
            try {
                assertThat(listener.readBytes(320)).containsOnly((byte) 0);
                ByteArrayOutputStream sent = new ByteArrayOutputStream();
                for (int i = 0; i < 40; i++) {
                    byte[] pcm = TestMedia.pcm(i, 2048);
                    sent.writeBytes(pcm);
                    calm.send(LinkClient.AUDIO, IDS.incrementAndGet(), 0, pcm);
                    Thread.sleep(64);
                }

                assertThat(listener.readBytes(sent.size())).isEqualTo(sent.toByteArray());
                assertThat(floodBytes.get()).as("the flood went on all along").isGreaterThan(10L * frame.length);
            } finally {
                flooding.set(false);
                flood.close();
                flooder.join(WAIT);
            }
        }
    }

    /** A link opened on a plain socket; the 101's head is read, nothing after it ever is. */
    private Socket openRaw(String token) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET /api/v1/devices/doorbell/link HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        return socket;
    }
}
