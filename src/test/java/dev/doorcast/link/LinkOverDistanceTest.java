package dev.doorcast.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LinkClient;
import dev.doorcast.testing.LinkEmulator;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A doorbell far from its server, through a link emulator of this test's own (no netem here): real-time audio
 * (a 2 KB chunk each 64 ms) and 10 fps of 9 KB frames, over the link and over POSTs, with a viewer and a
 * listener counting what reaches them. The doorbell keeps what a small device can: eight chunks of audio and
 * the newest frame; audio goes first, and a frame that a newer one overtakes is dropped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
})
class LinkOverDistanceTest {

    private static final Duration CAPTURE = Duration.ofSeconds(8);
    private static final long CHUNK_NANOS = 64_000_000;
    private static final long FRAME_NANOS = 100_000_000;
    private static final int CHUNK_BYTES = 2048;
    /** Frame and chunk numbers only grow across runs, as a device's do between boots. */
    private static final AtomicLong IDS = new AtomicLong(1_000_000);
    /** Frames differ in length across runs too: a viewer's first part may be the run before's newest frame. */
    private static final java.util.concurrent.atomic.AtomicInteger FRAME_SERIAL =
            new java.util.concurrent.atomic.AtomicInteger();

    @LocalServerPort
    int port;

    /** What one run delivered, as the viewer and the listener saw it. */
    record Delivered(String how, Duration roundTrip, long uplink, int chunksSent, int chunksHeard, boolean audioInOrder,
            int framesSent, int framesSeen, boolean framesInOrder, List<Long> glassToGlassMillis) {

        double audioShare() {
            return (double) chunksHeard / chunksSent;
        }

        double frameShare() {
            return (double) framesSeen / framesSent;
        }

        long percentile(int p) {
            List<Long> sorted = glassToGlassMillis.stream().sorted().toList();
            return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
        }

        @Override
        public String toString() {
            return String.format("%-5s rtt %3d ms, uplink %s: audio %d/%d (%.1f %%)%s, frames %d/%d (%.1f %%)%s, "
                            + "glass-to-glass p50 %d ms, p95 %d ms", how, roundTrip.toMillis(),
                    uplink == 0 ? "unlimited" : uplink / 1000 + " kbit/s", chunksHeard, chunksSent, 100 * audioShare(),
                    audioInOrder ? " in order" : " OUT OF ORDER", framesSeen, framesSent, 100 * frameShare(),
                    framesInOrder ? " in order" : " OUT OF ORDER", percentile(50), percentile(95));
        }
    }

    @Test
    void at200MsRoundTripTheLinkCarriesRealTimeAudioAndFramesWherePostsReachAFraction() throws Exception {
        Delivered link = run(true, Duration.ofMillis(200), 0);
        Delivered posts = run(false, Duration.ofMillis(200), 0);
        System.out.println("over distance: " + link);
        System.out.println("over distance: " + posts);

        assertThat(link.audioShare()).as(link.toString()).isGreaterThanOrEqualTo(0.97);
        assertThat(link.audioInOrder()).isTrue();
        assertThat(link.frameShare()).as(link.toString()).isGreaterThanOrEqualTo(0.90);
        assertThat(link.framesInOrder()).isTrue();
        assertThat(posts.audioShare()).as("one request at a time cannot keep up: " + posts).isLessThan(0.6);
    }

    @Test
    void onA400KbitUplinkAudioStaysRealTimeAndFramesGiveWay() throws Exception {
        Delivered slow = run(true, Duration.ofMillis(100), 400_000);
        System.out.println("over distance: " + slow);

        assertThat(slow.audioShare()).as(slow.toString()).isGreaterThanOrEqualTo(0.97);
        assertThat(slow.audioInOrder()).isTrue();
        assertThat(slow.framesSeen()).as("some frames still go").isPositive();
        assertThat(slow.frameShare()).as("frames are what gives way: " + slow).isLessThan(0.9);
        assertThat(slow.framesInOrder()).isTrue();
    }

    @Test
    void glassToGlassAt0100And200MsRoundTrip() throws Exception {
        for (int rtt : new int[] {0, 100, 200}) {
            Delivered run = run(true, Duration.ofMillis(rtt), 0);
            System.out.println("over distance: " + run);
            assertThat(run.frameShare()).as(run.toString()).isGreaterThanOrEqualTo(0.90);
            assertThat(run.percentile(50)).as("the median frame arrives within the round trip and a little more")
                    .isLessThan(rtt + 1000);
        }
    }

    /** One doorbell for {@link #CAPTURE}, over the link or over POSTs, through the emulator. */
    private Delivered run(boolean overLink, Duration roundTrip, long uplink) throws Exception {
        awaitNoViewers();
        try (LinkEmulator network = new LinkEmulator(port, roundTrip, uplink);
                MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(10));
                MjpegReader listener = MjpegReader.open(port, "/api/v1/stream/audio", Duration.ofSeconds(10))) {
            // The listener's writer runs once its first bytes, a keep-alive's silence, are in.
            assertThat(listener.readBytes(320)).containsOnly((byte) 0);
            Uplink doorbell = overLink ? new LinkUplink(network.port()) : new PostUplink(network.port());
            Map<Integer, Integer> frameByLength = new HashMap<>();
            Map<Integer, Long> capturedAt = Collections.synchronizedMap(new HashMap<>());
            List<Long> ages = Collections.synchronizedList(new ArrayList<>());
            List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
            List<Integer> heard = Collections.synchronizedList(new ArrayList<>());
            Thread watching = Thread.ofVirtual().start(() -> watch(viewer, frameByLength, capturedAt, seen, ages));
            Thread listening = Thread.ofVirtual().start(() -> listen(listener, heard));

            Planner planner = new Planner();
            Thread sender = Thread.ofVirtual().start(() -> planner.sendAll(doorbell));
            int chunks = 0;
            int frames = 0;
            long start = System.nanoTime();
            long nextChunk = start;
            long nextFrame = start;
            while (System.nanoTime() - start < CAPTURE.toNanos()) {
                long now = System.nanoTime();
                if (now >= nextChunk) {
                    chunks++;
                    planner.audio(chunks, chunk(chunks));
                    nextChunk += CHUNK_NANOS;
                } else if (now >= nextFrame) {
                    frames++;
                    byte[] jpeg = TestMedia.jpegOfSize(9000 + FRAME_SERIAL.incrementAndGet() * 8);
                    assertThat(frameByLength.put(jpeg.length, frames)).as("frames told apart by length").isNull();
                    capturedAt.put(frames, System.nanoTime());
                    planner.frame(frames, jpeg);
                    nextFrame += FRAME_NANOS;
                } else {
                    Thread.sleep(Duration.ofNanos(Math.min(nextChunk, nextFrame) - now)); // the capture clock
                }
            }
            Thread.sleep(500); // what is still queued when capture stops gets half a second to go
            planner.stop();
            sender.join(Duration.ofSeconds(10));
            int sentChunks = chunks;
            int sentFrames = frames;
            long settle = System.nanoTime() + roundTrip.toNanos() + 2_000_000_000L;
            await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() > settle
                    || heard.size() >= sentChunks && seen.size() >= sentFrames);
            doorbell.close();
            viewer.close();
            listener.close();
            watching.join(Duration.ofSeconds(5));
            listening.join(Duration.ofSeconds(5));
            List<Integer> frameOrder = List.copyOf(seen);
            List<Integer> audioOrder = List.copyOf(heard);
            return new Delivered(overLink ? "link" : "posts", roundTrip, uplink, sentChunks,
                    (int) audioOrder.stream().distinct().count(), increasing(audioOrder), sentFrames,
                    (int) frameOrder.stream().distinct().count(), increasing(frameOrder), List.copyOf(ages));
        }
    }

    private void awaitNoViewers() {
        Doorbell stats = new Doorbell(port);
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.stats().path("videoClientsConnected").asInt() == 0
                && stats.stats().path("audioClientsConnected").asInt() == 0);
    }

    /** Chunk {@code n}: every sample holds {@code n}, so the listener can tell chunks apart in the stream. */
    private static byte[] chunk(int n) {
        ByteBuffer pcm = ByteBuffer.allocate(CHUNK_BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (pcm.hasRemaining()) {
            pcm.putShort((short) n);
        }
        return pcm.array();
    }

    private static void watch(MjpegReader viewer, Map<Integer, Integer> byLength, Map<Integer, Long> capturedAt,
            List<Integer> seen, List<Long> ages) {
        try {
            viewer.readOpeningBoundary();
            while (true) {
                byte[] body = viewer.nextPart().body();
                long now = System.nanoTime();
                Integer frame = byLength.get(body.length);
                if (frame != null && (seen.isEmpty() || seen.getLast() != frame.intValue())) {
                    seen.add(frame);
                    ages.add((now - capturedAt.get(frame)) / 1_000_000);
                }
            }
        } catch (IOException | RuntimeException closed) {
            // The run is over.
        }
    }

    private static void listen(MjpegReader listener, List<Integer> heard) {
        try {
            while (true) {
                byte[] sample = listener.readBytes(2);
                int n = (sample[0] & 0xFF) | (sample[1] << 8);
                if (n != 0 && (heard.isEmpty() || heard.getLast() != n)) {
                    heard.add(n);
                }
            }
        } catch (IOException | RuntimeException closed) {
            // The run is over.
        }
    }

    private static boolean increasing(List<Integer> numbers) {
        for (int i = 1; i < numbers.size(); i++) {
            if (numbers.get(i) <= numbers.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    /**
     * What the doorbell's firmware keeps between capture and its uplink (firmware/lib/doorcast's UplinkPlanner):
     * eight chunks, the newest frame. Audio goes first; a frame only when no audio waits, and no sooner than
     * the uplink has room for it beside the audio: a frame whose write blocked measures the uplink's rate,
     * and frames then get 90 % of it less what audio takes.
     */
    private static final class Planner {

        private static final int MAX_CHUNKS = 8;
        private static final double AUDIO_BYTES_PER_SECOND = 32_500;

        private final Deque<byte[]> audio = new ArrayDeque<>();
        private byte[] frame;
        private boolean stopped;
        private double rate;
        private long frameNotBefore;

        synchronized void audio(int n, byte[] pcm) {
            if (audio.size() == MAX_CHUNKS) {
                audio.removeFirst();
            }
            audio.addLast(pcm);
            notifyAll();
        }

        synchronized void frame(int n, byte[] jpeg) {
            frame = jpeg;
            notifyAll();
        }

        synchronized void stop() {
            stopped = true;
            notifyAll();
        }

        /** Audio first, then the newest frame when the uplink has room for it, one at a time, until stopped. */
        void sendAll(Uplink uplink) {
            try {
                while (true) {
                    byte[] next;
                    boolean isAudio;
                    synchronized (this) {
                        while (!stopped && audio.isEmpty() && (frame == null || System.nanoTime() < frameNotBefore)) {
                            long wait = frame == null ? 0 : frameNotBefore - System.nanoTime();
                            wait(frame == null ? 0 : Math.max(1, wait / 1_000_000));
                        }
                        if (stopped) {
                            return;
                        }
                        isAudio = !audio.isEmpty();
                        next = isAudio ? audio.removeFirst() : frame;
                        if (!isAudio) {
                            frame = null;
                        }
                    }
                    if (isAudio) {
                        uplink.audio(IDS.incrementAndGet(), next);
                        continue;
                    }
                    long started = System.nanoTime();
                    uplink.frame(IDS.incrementAndGet(), next);
                    long took = System.nanoTime() - started;
                    synchronized (this) {
                        if (took >= 20_000_000) {
                            double measured = next.length * 1e9 / took;
                            rate = rate == 0 ? measured : 0.7 * rate + 0.3 * measured;
                        }
                        double forFrames = rate * 0.9 - AUDIO_BYTES_PER_SECOND;
                        frameNotBefore = rate == 0 ? 0
                                : System.nanoTime() + (long) (next.length * 1e9 / Math.max(forFrames, 1_000));
                    }
                }
            } catch (IOException | InterruptedException ended) {
                // The run is over.
            }
        }
    }

    private interface Uplink extends AutoCloseable {

        void audio(long sequence, byte[] pcm) throws IOException, InterruptedException;

        void frame(long id, byte[] jpeg) throws IOException, InterruptedException;

        @Override
        void close() throws IOException;
    }

    /**
     * The link as a small device has it: a plain socket with a small send buffer, so that a slow uplink is felt
     * at once, masked frames of its own, and a reader that takes (and drops) what the server sends.
     */
    private static final class LinkUplink implements Uplink {

        private final Socket socket;
        private final OutputStream out;

        LinkUplink(int port) throws IOException {
            socket = new Socket();
            socket.setSendBufferSize(8 * 1024);
            socket.setTcpNoDelay(true);
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            out = socket.getOutputStream();
            out.write(("GET /api/v1/devices/doorbell/link HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: Bearer " + Doorbell.TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101");
            Thread.ofVirtual().start(() -> {
                try {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException closed) {
                    // The run is over.
                }
            });
        }

        @Override
        public void audio(long sequence, byte[] pcm) throws IOException {
            send(0x02, sequence, pcm);
        }

        @Override
        public void frame(long id, byte[] jpeg) throws IOException {
            send(0x01, id, jpeg);
        }

        private void send(int type, long id, byte[] payload) throws IOException {
            byte[] message = ByteBuffer.allocate(17 + payload.length).put((byte) type).putLong(id)
                    .putLong(System.currentTimeMillis()).put(payload).array();
            out.write(LinkClient.masked(0x82, message));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The POSTs, one at a time on one keep-alive connection, each waiting for its answer, as the firmware does. */
    private static final class PostUplink implements Uplink {

        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final URI base;

        PostUplink(int port) {
            base = URI.create("http://127.0.0.1:" + port);
        }

        @Override
        public void audio(long sequence, byte[] pcm) throws IOException, InterruptedException {
            http.send(HttpRequest.newBuilder(base.resolve("/api/v1/devices/doorbell/mic-stream"))
                    .header("Authorization", "Bearer " + Doorbell.TOKEN)
                    .header("Content-Type", "application/octet-stream")
                    .header("X-Sequence", Long.toString(sequence))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(pcm)).build(), HttpResponse.BodyHandlers.discarding());
        }

        @Override
        public void frame(long id, byte[] jpeg) throws IOException, InterruptedException {
            String boundary = "distance-boundary";
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"frame_id\"\r\n\r\n" + id
                    + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"frame\"; filename=\"f.jpg\"\r\n"
                    + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(jpeg);
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            http.send(HttpRequest.newBuilder(base.resolve("/api/v1/devices/doorbell/camera-stream"))
                    .header("Authorization", "Bearer " + Doorbell.TOKEN)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.discarding());
        }

        @Override
        public void close() {
            http.close();
        }
    }
}
