package dev.doorcast.link;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LinkClient;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.SseReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The doorbell's link over real sockets: the JDK's WebSocket client as the doorbell, real viewers on the other side. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.limits.max-device-fps=1000",
        "doorcast.rings.burst=1000",
        "doorcast.link.ping-every=200ms",
        "doorcast.link.silence=2s",
})
class LinkTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Frame ids and audio sequences only grow, as a real doorbell's do, so that none is taken for a repeat. */
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong(1000);

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    LinkPollers pollers;

    private LinkClient link() throws Exception {
        return LinkClient.open(port, Doorbell.TOKEN);
    }

    @Test
    void framesOverTheLinkReachTheSnapshotAndTheCameraStreamByteForByte() throws Exception {
        byte[] first = TestMedia.jpeg(1401);
        byte[] second = TestMedia.jpeg(1402);
        try (LinkClient doorbell = link(); MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera", WAIT)) {
            doorbell.send(LinkClient.FRAME, IDS.incrementAndGet(), System.currentTimeMillis(), first);
            await().atMost(WAIT).until(() -> java.util.Arrays.equals(
                    new Doorbell(port).get("/api/v1/stream/camera/snapshot").body(), first));
            viewer.readOpeningBoundary();
            doorbell.send(LinkClient.FRAME, IDS.incrementAndGet(), 0, second);

            byte[] seen = viewer.nextPart().body();
            while (!java.util.Arrays.equals(seen, second)) {
                seen = viewer.nextPart().body();
            }
            assertThat(seen).isEqualTo(second);
        }
    }

    @Test
    void audioOverTheLinkReachesAListenerInOrderEachOnce() throws Exception {
        try (LinkClient doorbell = link();
                MjpegReader listener = MjpegReader.open(port, "/api/v1/stream/audio", WAIT)) {
            // The listener's first bytes are the silence its writer sends while the doorbell is quiet: from
            // then on the writer is running, and every chunk sent reaches it.
            byte[] silence = listener.readBytes(320);
            assertThat(silence).containsOnly((byte) 0);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                byte[] pcm = TestMedia.pcm(i, 2048);
                sent.writeBytes(pcm);
                doorbell.send(LinkClient.AUDIO, IDS.incrementAndGet(), 0, pcm);
                Thread.sleep(20); // faster than real time, as a doorbell catching up, but no burst to skip
            }

            assertThat(listener.readBytes(sent.size())).isEqualTo(sent.toByteArray());
        }
    }

    @Test
    void theDoorbellIsToldWhenSomeoneStartsAndStopsWatchingAndListening() throws Exception {
        // Viewers of the tests before may still be counted until the server's next write to them.
        await().atMost(WAIT).until(() -> new Doorbell(port).stats().path("videoClientsConnected").asInt() == 0
                && new Doorbell(port).stats().path("audioClientsConnected").asInt() == 0);
        try (LinkClient doorbell = link()) {
            JsonNode opening = doorbell.nextText("watching", WAIT);
            assertThat(opening.path("camera").asBoolean()).isFalse();
            assertThat(opening.path("audio").asBoolean()).isFalse();

            MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera", WAIT);
            long arrived = System.nanoTime();
            JsonNode watched = doorbell.nextText("watching", WAIT);
            assertThat(watched.path("camera").asBoolean()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - arrived)).as("told within a second")
                    .isLessThan(Duration.ofSeconds(1));

            try (MjpegReader listener = MjpegReader.open(port, "/api/v1/stream/audio", WAIT)) {
                JsonNode heard = doorbell.nextText("watching", WAIT);
                assertThat(heard.path("camera").asBoolean()).isTrue();
                assertThat(heard.path("audio").asBoolean()).isTrue();
                viewer.close();
                // The server notices a viewer has gone at its next write: the next frame or keep-alive.
                JsonNode left = doorbell.nextText("watching", WAIT);
                assertThat(left.path("camera").asBoolean()).isFalse();
                assertThat(left.path("audio").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void aRingReachesTheEventsStreamAndTheSamePressSentAgainIsNotASecondRing() throws Exception {
        try (LinkClient doorbell = link();
                SseReader events = SseReader.open(port, "/api/v1/stream/events", Duration.ofSeconds(8))) {
            doorbell.send(LinkClient.FRAME, IDS.incrementAndGet(), 0, TestMedia.jpeg(1403));
            events.nextEvent();
            long press = System.nanoTime();
            doorbell.send(LinkClient.RING, press, 1795650743000L, new byte[0]);
            SseReader.Event ring = events.next("ring");
            assertThat(ring.json().path("device").asString()).isEqualTo("doorbell");
            long ringId = ring.json().path("ringId").asLong();

            doorbell.send(LinkClient.RING, press, 1795650743000L, new byte[0]);
            doorbell.send(LinkClient.RING, press + 1, 0, new byte[0]);
            SseReader.Event next = events.next("ring");
            assertThat(next.json().path("ringId").asLong()).as("the next press, not the same one again")
                    .isNotEqualTo(ringId);
            assertThat(new Doorbell(port).get("/api/v1/stream/rings").body()).asString()
                    .contains(Long.toString(ringId)).contains(Long.toString(next.json().path("ringId").asLong()));
        }
    }

    @Test
    void whatViewersSayReachesTheDoorbellAsSpeakerMessagesByteForByteInOrder() throws Exception {
        try (LinkClient doorbell = link()) {
            doorbell.nextText("watching", WAIT);
            Doorbell viewer = new Doorbell(port);
            byte[][] said = new byte[8][];
            for (int i = 0; i < said.length; i++) {
                said[i] = TestMedia.pcm(100 + i, 2048);
                assertThat(viewer.talk("", "hall-phone-1404", i, said[i]).statusCode()).isEqualTo(200);
            }

            long previous = -1;
            for (byte[] chunk : said) {
                LinkClient.Received heard = doorbell.nextBinary(LinkClient.SPEAKER, WAIT);
                assertThat(heard.payload()).isEqualTo(chunk);
                assertThat(heard.id()).isGreaterThan(previous);
                previous = heard.id();
            }
        }
    }

    @Test
    void aLinkCountsAsTheDoorbellsSpeaker() throws Exception {
        try (LinkClient doorbell = link()) {
            doorbell.nextText("watching", WAIT);
            var answer = new Doorbell(port).talk("", "hall-phone-1405", 0, TestMedia.pcm(1, 2048));
            assertThat(answer.body()).contains("\"speakers\":1");
        }
    }

    @Test
    void badMessagesAreRefusedAndStoreNothing() throws Exception {
        Doorbell viewer = new Doorbell(port);
        try (LinkClient doorbell = link()) {
            doorbell.send(LinkClient.FRAME, IDS.incrementAndGet(), 0, TestMedia.jpeg(1406));
            await().atMost(WAIT).until(() -> viewer.stats().path("framesReceived").asLong() > 0);
            long frames = viewer.stats().path("framesReceived").asLong();
            long chunks = viewer.stats().path("audioChunksReceived").asLong();

            long refusedId = IDS.incrementAndGet();
            doorbell.send(LinkClient.FRAME, refusedId, 0, "not a jpeg".getBytes(StandardCharsets.US_ASCII));
            JsonNode notJpeg = doorbell.nextText("refused", WAIT);
            doorbell.send(LinkClient.AUDIO, IDS.incrementAndGet(), 0, new byte[3]);
            JsonNode oddAudio = doorbell.nextText("refused", WAIT);
            doorbell.send(0x7F, 23, 0, new byte[4]);
            JsonNode unknown = doorbell.nextText("refused", WAIT);
            doorbell.sendRaw(new byte[5]);
            JsonNode shortMessage = doorbell.nextText("refused", WAIT);
            doorbell.sendText("this is not JSON");
            JsonNode notJson = doorbell.nextText("refused", WAIT);
            doorbell.send(LinkClient.FRAME, IDS.incrementAndGet(), -5, TestMedia.jpeg(1407));
            JsonNode badTime = doorbell.nextText("refused", WAIT);

            assertThat(notJpeg.path("kind").asString()).isEqualTo("frame");
            assertThat(notJpeg.path("id").asLong()).isEqualTo(refusedId);
            assertThat(notJpeg.path("status").asInt()).isEqualTo(400);
            assertThat(notJpeg.path("detail").asString()).contains("not a JPEG");
            assertThat(oddAudio.path("kind").asString()).isEqualTo("audio");
            assertThat(oddAudio.path("detail").asString()).contains("even");
            assertThat(unknown.path("kind").asString()).isEqualTo("unknown");
            assertThat(unknown.path("status").asInt()).isEqualTo(400);
            assertThat(shortMessage.path("kind").asString()).isEqualTo("message");
            assertThat(notJson.path("kind").asString()).isEqualTo("text");
            assertThat(badTime.path("kind").asString()).isEqualTo("frame");
            assertThat(viewer.stats().path("framesReceived").asLong()).isEqualTo(frames);
            assertThat(viewer.stats().path("audioChunksReceived").asLong()).isEqualTo(chunks);

            // The link is still open, and still takes what is right.
            doorbell.send(LinkClient.FRAME, IDS.incrementAndGet(), 0, TestMedia.jpeg(1408));
            await().atMost(WAIT).until(() -> viewer.stats().path("framesReceived").asLong() == frames + 1);
        }
    }

    @Test
    void aLinkIsReadByALinkPollerFromItsHandOverAndLeavesItWhenItEnds() throws Exception {
        await().atMost(WAIT).until(() -> pollers.links() == 0);
        byte[] frame = TestMedia.jpeg(1412);
        try (LinkClient doorbell = link()) {
            await().atMost(WAIT).until(() -> pollers.links() == 1);
            doorbell.send(LinkClient.FRAME, IDS.incrementAndGet(), 0, frame);
            await().atMost(WAIT).until(() -> java.util.Arrays.equals(
                    new Doorbell(port).get("/api/v1/stream/camera/snapshot").body(), frame));
            doorbell.close();
            await().atMost(WAIT).until(() -> pollers.links() == 0);
        }
    }

    @Test
    void aMessageLargerThanTheLargestFrameClosesTheLinkWith1009() throws Exception {
        try (LinkClient doorbell = link()) {
            doorbell.nextText("watching", WAIT);
            byte[] huge = new byte[2 * 1024 * 1024];
            try {
                doorbell.send(LinkClient.FRAME, IDS.incrementAndGet(), 0, huge);
            } catch (Exception closedWhileSending) {
                // The server may close before the whole message has gone out.
            }
            assertThat(doorbell.nextClose(WAIT).closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void aDoorbellStillSendingWhatBrokeARuleGetsTheCloseFrameAndThenAnOrderlyEnd() throws Exception {
        try (Socket socket = handshake()) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // A masked binary frame of 2 MB, past the largest frame, and the first 64 KB of it.
            out.write(new byte[] {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0x20, 0, 0, 1, 2, 3, 4});
            out.write(new byte[64 * 1024]);
            InputStream in = socket.getInputStream();
            assertThat(closeCode(in)).isEqualTo(1009);
            // The doorbell ends its side; the server, having read on, ends in order rather than with a reset.
            socket.shutdownOutput();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aNewLinkOfTheSameDoorbellReplacesTheOldOne() throws Exception {
        try (LinkClient old = link()) {
            old.nextText("watching", WAIT);
            try (LinkClient rebooted = link()) {
                LinkClient.Received closed = old.nextClose(WAIT);
                assertThat(closed.closeCode()).isEqualTo(DoorbellLinks.REPLACED);
                assertThat(closed.closeReason()).contains("newer link");
                rebooted.send(LinkClient.FRAME, IDS.incrementAndGet(), 0, TestMedia.jpeg(1409));
                await().atMost(WAIT).until(() -> java.util.Arrays.equals(
                        new Doorbell(port).get("/api/v1/stream/camera/snapshot").body(), TestMedia.jpeg(1409)));
            }
        }
    }

    @Test
    void upgradesWithoutTheDeviceTokenAre401AndNoWebSocket() throws Exception {
        for (String authorization : new String[] {null, "Bearer wrong-token", "Bearer test-viewer-token"}) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /api/v1/devices/doorbell/link HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n" + (authorization == null ? "" : "Authorization: "
                        + authorization + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readNBytes(9 + 3), StandardCharsets.US_ASCII);
                assertThat(answer).as("with " + authorization).isEqualTo("HTTP/1.1 401");
            }
        }
    }

    @Test
    void theHandshakeIsCheckedAndTheAcceptKeyIsRfc6455s() throws Exception {
        assertThat(LinkController.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        var plain = new Doorbell(port).get("/api/v1/devices/doorbell/link", Doorbell.TOKEN);
        assertThat(plain.statusCode()).isEqualTo(426);
        assertThat(plain.headers().firstValue("Upgrade")).hasValue("websocket");
        assertThat(new String(plain.body(), StandardCharsets.UTF_8)).contains("\"success\":false");
    }

    @Test
    void anUnmaskedFrameClosesTheLinkWith1002() throws Exception {
        try (Socket socket = handshake()) {
            InputStream in = socket.getInputStream();
            socket.getOutputStream().write(new byte[] {(byte) 0x82, 0x03, 1, 2, 3});
            assertThat(closeCode(in)).isEqualTo(1002);
        }
    }

    @Test
    void aFrameSentWithTheHandshakeIsReadWholeBeforeWhatFollows() throws Exception {
        // A doorbell may send before the 101 is back: its first frame then comes in with the request head,
        // and whatever of it the server read along with the head must come before the rest of the socket's bytes.
        byte[] first = TestMedia.jpegOfSize(9000);
        byte[] second = TestMedia.jpeg(1410);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            ByteArrayOutputStream opening = new ByteArrayOutputStream();
            opening.writeBytes(HANDSHAKE.getBytes(StandardCharsets.US_ASCII));
            opening.writeBytes(LinkClient.masked(0x82, LinkClient.message(LinkClient.FRAME, IDS.incrementAndGet(), 0, first)));
            socket.getOutputStream().write(opening.toByteArray());
            await().atMost(WAIT).until(() -> java.util.Arrays.equals(
                    new Doorbell(port).get("/api/v1/stream/camera/snapshot").body(), first));
            socket.getOutputStream().write(
                    LinkClient.masked(0x82, LinkClient.message(LinkClient.FRAME, IDS.incrementAndGet(), 0, second)));
            await().atMost(WAIT).until(() -> java.util.Arrays.equals(
                    new Doorbell(port).get("/api/v1/stream/camera/snapshot").body(), second));
            assertThat(new Doorbell(port).stats().path("link").path("connected").asBoolean()).isTrue();
        }
    }

    @Test
    void aDoorbellThatStopsReadingIsDroppedOnceAWriteToItWaitsPastTheConnectionTimeout() throws Exception {
        // It goes on sending, so it is never silent; what viewers say to it piles up until the server's write
        // waits on it, and a write waits no longer than server.tomcat.connection-timeout (5 s).
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            socket.getOutputStream().write(HANDSHAKE.getBytes(StandardCharsets.US_ASCII));
            Doorbell viewer = new Doorbell(port);
            await().atMost(WAIT).until(() -> viewer.stats().path("link").path("connected").asBoolean());
            java.util.concurrent.atomic.AtomicLong said = new java.util.concurrent.atomic.AtomicLong();
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(20)).until(() -> {
                viewer.talk("", "hall-phone-1411", said.getAndIncrement(), TestMedia.pcm(1411, 2048));
                try {
                    socket.getOutputStream().write(LinkClient.masked(0x89, new byte[] {1}));
                } catch (java.io.IOException dropped) {
                    // Dropped already: the stats say so.
                }
                return !viewer.stats().path("link").path("connected").asBoolean();
            });
        }
    }

    @Test
    void aLinkSilentPastItsLimitIsClosedAndTheStatsSaySo() throws Exception {
        try (Socket socket = handshake()) {
            await().atMost(WAIT).until(() -> new Doorbell(port).stats().path("link").path("connected").asBoolean());
            // Pings come every 200 ms; this doorbell answers none and says nothing: closed after 2 s.
            assertThat(closeCode(socket.getInputStream())).isEqualTo(1001);
            await().atMost(WAIT).until(() -> !new Doorbell(port).stats().path("link").path("connected").asBoolean());
        }
    }

    @Test
    void theStatsShowTheLinkAndItsRoundTrip() throws Exception {
        try (LinkClient doorbell = link()) {
            doorbell.nextText("watching", WAIT);
            await().atMost(WAIT).until(() -> new Doorbell(port).stats().path("link").path("roundTripMs").asLong() >= 0);
            JsonNode link = new Doorbell(port).stats().path("link");
            assertThat(link.path("connected").asBoolean()).isTrue();
            assertThat(link.path("since").asLong()).isPositive();
        }
    }

    /** A doorbell's handshake, as a raw socket sends it. */
    private static final String HANDSHAKE = "GET /api/v1/devices/doorbell/link HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + Doorbell.TOKEN + "\r\n\r\n";

    /** A raw socket that has done the handshake as a doorbell; the 101's head read. */
    private Socket handshake() throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(HANDSHAKE.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        return socket;
    }

    /** Reads server frames until a close; its code. The end of the stream before one fails. */
    private static int closeCode(InputStream in) throws Exception {
        while (true) {
            int first = in.read();
            if (first < 0) {
                throw new java.io.EOFException("the server ended the connection without a close frame");
            }
            int length = in.read() & 0x7F;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            }
            byte[] payload = in.readNBytes(length);
            if ((first & 0x0F) == 0x8) {
                return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            }
        }
    }
}
