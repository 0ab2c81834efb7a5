package dev.doorcast.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The doorbell and its audience, over plain sockets: one device thread posting stamped JPEG frames at a
 * fixed rate, one posting audio chunks, and thousands of viewers and listeners read by a few NIO selector
 * threads. Each frame carries its sequence number and send time (this JVM's nanoTime) in a JPEG COM
 * segment placed just before EOI, so a viewer knows a frame's latency the moment its last bytes arrive.
 */
final class Load implements AutoCloseable {

    /** COM marker, length 22, then "DCB!": what a viewer scans for; the filler never holds 0xFF. */
    private static final byte[] MAGIC = {(byte) 0xFF, (byte) 0xFE, 0x00, 0x16, 'D', 'C', 'B', '!'};
    private static final String BOUNDARY = "bench-7d3a";
    static final int AUDIO_CHUNK = 2048;
    /**
     * The doorbell's frame rate, 5 fps unless {@code bench.device-fps} says otherwise: at 10,000 viewers
     * this 2-core machine cannot both send and read 5 fps x 9 KB each (450 MB/s over loopback), so memory at
     * that size is measured at a lower rate, and the report says which.
     */
    static final long FRAME_INTERVAL_NANOS = (long) (1e9 / Double.parseDouble(System.getProperty("bench.device-fps", "5")));
    static final long AUDIO_INTERVAL_NANOS = 64_000_000L; // 2 KB of 16 kHz 16-bit mono

    private final int port;
    /** Where the viewers connect: the device's own instance, or another one behind the relay. */
    private final int viewerPort;
    private final String token;
    private final int frameBytes;
    private final Reader[] readers;
    private final List<Conn> conns = new ArrayList<>();
    private final List<SocketChannel> stuck = new ArrayList<>();
    private final Thread device;
    private final Thread mic;
    private volatile boolean running = true;
    private volatile boolean paused = true;
    private volatile boolean recording;
    /** The first frame sequence that counts; viewers count frames from here on. */
    volatile long windowFirst = Long.MAX_VALUE;
    private volatile long windowLast = Long.MAX_VALUE;
    private volatile long lastStamped;
    private volatile long audioSent;
    private final Histogram postLatency = new Histogram();
    private long postErrors;

    Load(int port, String token, int frameBytes, int readerThreads) {
        this(port, port, token, frameBytes, readerThreads);
    }

    Load(int port, int viewerPort, String token, int frameBytes, int readerThreads) {
        this.port = port;
        this.viewerPort = viewerPort;
        this.token = token;
        this.frameBytes = frameBytes;
        this.readers = new Reader[readerThreads];
        for (int i = 0; i < readerThreads; i++) {
            readers[i] = new Reader(i);
        }
        this.device = Thread.ofPlatform().name("bench-device").daemon().start(this::runDevice);
        this.mic = Thread.ofPlatform().name("bench-mic").daemon().start(this::runMic);
    }

    void resume() {
        paused = false;
    }

    void pause() {
        paused = true;
    }

    /** Starts counting: frames from the next one on, latencies, device POST times. */
    void startWindow() {
        postLatency.reset();
        for (Reader r : readers) {
            r.latency.reset();
        }
        windowLast = Long.MAX_VALUE;
        for (Conn c : conns) {
            c.inWindow = 0;
            c.windowBytes = 0;
        }
        // The first frame not yet stamped: no viewer can have it already.
        windowFirst = lastStamped + 1;
        recording = true;
    }

    /** Stops counting latencies; returns the last frame sequence of the window. */
    long endWindow() {
        recording = false;
        windowLast = lastStamped;
        return windowLast;
    }

    long audioSent() {
        return audioSent;
    }

    // ---- viewers -------------------------------------------------------------------------------------

    record Admission(int ok, int refused, int failed) {
    }

    /** Opens viewers and listeners in batches, waiting for each batch's response head (or a deadline). */
    Admission connect(int viewers, int listeners, long deadlineMillis) throws IOException {
        return connect(viewers, listeners, deadlineMillis, 250);
    }

    /**
     * Opens viewers and listeners {@code batch} at a time, waiting for each batch's response heads (or the
     * deadline); a batch as large as the total connects everyone at once, as a crowd after a doorbell ring.
     */
    Admission connect(int viewers, int listeners, long deadlineMillis, int batch) throws IOException {
        int total = viewers + listeners;
        List<Conn> opened = new ArrayList<>();
        int batchStart = 0;
        long deadline = System.currentTimeMillis() + deadlineMillis;
        for (int i = 0; i < total; i++) {
            boolean video = i < viewers;
            Conn c = new Conn(video);
            c.channel = SocketChannel.open();
            c.channel.configureBlocking(false);
            c.channel.connect(new InetSocketAddress("127.0.0.1", viewerPort));
            readers[i % readers.length].add(c);
            opened.add(c);
            if (opened.size() - batchStart == batch || i == total - 1) {
                while (System.currentTimeMillis() < deadline && !settled(opened.subList(batchStart, opened.size()))) {
                    LockSupport.parkNanos(5_000_000);
                }
                batchStart = opened.size();
            }
        }
        conns.addAll(opened);
        int ok = 0;
        int refused = 0;
        int failed = 0;
        for (Conn c : opened) {
            if (c.status == 200 && !c.closed) {
                ok++;
            } else if (c.status == 503) {
                refused++;
            } else {
                failed++;
            }
        }
        return new Admission(ok, refused, failed);
    }

    private static boolean settled(List<Conn> batch) {
        for (Conn c : batch) {
            if (c.status == 0 && !c.closed) {
                return false;
            }
        }
        return true;
    }

    /** Viewers that send their request and then never read a byte, as a phone whose app froze. */
    void connectStuck(int count) throws IOException {
        byte[] request = get("/api/v1/stream/camera");
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", viewerPort));
            ch.write(ByteBuffer.wrap(request));
            stuck.add(ch);
        }
    }

    private static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    record ViewerResult(int viewers, long expected, long delivered, long worstViewer, int under99,
            int lostDuringRun, Histogram latency, long audioBytes, int listeners) {
    }

    ViewerResult viewerResult(long lastSeq) {
        long expected = Math.max(0, lastSeq - windowFirst + 1);
        long delivered = 0;
        long worst = Long.MAX_VALUE;
        int viewers = 0;
        int under = 0;
        int lost = 0;
        long audio = 0;
        int listeners = 0;
        for (Conn c : conns) {
            if (c.status != 200) {
                continue;
            }
            if (!c.video) {
                listeners++;
                audio += c.windowBytes;
                continue;
            }
            viewers++;
            if (c.closed) {
                lost++;
            }
            delivered += c.inWindow;
            worst = Math.min(worst, c.inWindow);
            if (c.inWindow < expected * 0.99) {
                under++;
            }
        }
        Histogram all = new Histogram();
        for (Reader r : readers) {
            all.add(r.latency);
        }
        return new ViewerResult(viewers, expected, delivered, viewers == 0 ? 0 : worst, under, lost, all, audio,
                listeners);
    }

    Histogram postLatency() {
        return postLatency;
    }

    long postErrors() {
        return postErrors;
    }

    @Override
    public void close() {
        running = false;
        for (Reader r : readers) {
            r.thread.interrupt();
            try {
                r.thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            r.closeAll();
        }
        for (SocketChannel ch : stuck) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            device.join(2000);
            mic.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- one connection as a selector thread sees it --------------------------------------------------

    private final class Conn {
        final boolean video;
        SocketChannel channel;
        volatile int status;
        volatile boolean closed;
        private final byte[] head = new byte[4096];
        private int headLength;
        private boolean headDone;
        private int match;
        private int payload;
        private long seqAcc;
        private long timeAcc;
        private long lastSeq;
        volatile long inWindow;
        volatile long windowBytes;

        Conn(boolean video) {
            this.video = video;
        }

        void consume(ByteBuffer buf, long now, Histogram latency) {
            while (!headDone && buf.hasRemaining()) {
                byte b = buf.get();
                if (headLength < head.length) {
                    head[headLength++] = b;
                }
                if (headLength >= 4 && head[headLength - 4] == '\r' && head[headLength - 3] == '\n'
                        && head[headLength - 2] == '\r' && head[headLength - 1] == '\n') {
                    headDone = true;
                    String line = new String(head, 0, Math.min(headLength, 12), StandardCharsets.US_ASCII);
                    status = line.startsWith("HTTP/1.") ? Integer.parseInt(line.substring(9, 12)) : -1;
                }
            }
            if (!video) {
                if (recording) {
                    windowBytes += buf.remaining();
                }
                buf.position(buf.limit());
                return;
            }
            int m = match;
            int p = payload;
            while (buf.hasRemaining()) {
                byte b = buf.get();
                if (m < MAGIC.length) {
                    m = b == MAGIC[m] ? m + 1 : (b == (byte) 0xFF ? 1 : 0);
                } else if (p < 8) {
                    seqAcc = seqAcc << 8 | (b & 0xFF);
                    p++;
                } else {
                    timeAcc = timeAcc << 8 | (b & 0xFF);
                    if (++p == 16) {
                        frame(seqAcc, timeAcc, now, latency);
                        m = 0;
                        p = 0;
                        seqAcc = 0;
                        timeAcc = 0;
                    }
                }
            }
            match = m;
            payload = p;
        }

        private void frame(long seq, long sentNanos, long now, Histogram latency) {
            if (seq <= lastSeq) {
                return; // a keep-alive repeat
            }
            lastSeq = seq;
            if (seq >= windowFirst && seq <= windowLast) {
                inWindow++;
                if (recording) {
                    latency.record(now - sentNanos);
                }
            }
        }
    }

    private final class Reader {
        final Thread thread;
        final Selector selector;
        final ConcurrentLinkedQueue<Conn> pending = new ConcurrentLinkedQueue<>();
        final Histogram latency = new Histogram();
        final ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
        final byte[] request = get("/api/v1/stream/camera");
        final byte[] audioRequest = get("/api/v1/stream/audio");

        Reader(int index) {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            thread = Thread.ofPlatform().name("bench-reader-" + index).daemon().start(this::run);
        }

        void add(Conn c) {
            pending.add(c);
            selector.wakeup();
        }

        private void run() {
            while (running) {
                try {
                    selector.select(100);
                } catch (IOException e) {
                    return;
                }
                for (Conn c; (c = pending.poll()) != null; ) {
                    try {
                        c.channel.register(selector, SelectionKey.OP_CONNECT, c);
                    } catch (IOException e) {
                        c.closed = true;
                    }
                }
                var keys = selector.selectedKeys();
                for (SelectionKey key : keys) {
                    Conn c = (Conn) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            c.channel.finishConnect();
                            c.channel.write(ByteBuffer.wrap(c.video ? request : audioRequest));
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            read(c, key);
                        }
                    } catch (IOException e) {
                        c.closed = true;
                        key.cancel();
                        closeQuietly(c.channel);
                    }
                }
                keys.clear();
            }
        }

        private void read(Conn c, SelectionKey key) throws IOException {
            for (int rounds = 0; rounds < 16; rounds++) {
                buf.clear();
                int n = c.channel.read(buf);
                if (n < 0) {
                    c.closed = true;
                    key.cancel();
                    closeQuietly(c.channel);
                    return;
                }
                if (n == 0) {
                    return;
                }
                buf.flip();
                c.consume(buf, System.nanoTime(), latency);
            }
        }

        void closeAll() {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ---- the device -----------------------------------------------------------------------------------

    private void runDevice() {
        Random random = new Random(42);
        // SOI, COM segments of filler (no 0xFF byte in them), the stamp COM, EOI.
        byte[] jpeg = new byte[frameBytes];
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        int pos = 2;
        int stampAt = frameBytes - 2 - 24;
        while (pos < stampAt) {
            int len = Math.min(65_533, stampAt - pos - 4);
            if (len < 0) {
                break;
            }
            jpeg[pos] = (byte) 0xFF;
            jpeg[pos + 1] = (byte) 0xFE;
            jpeg[pos + 2] = (byte) ((len + 2) >> 8);
            jpeg[pos + 3] = (byte) (len + 2);
            for (int i = 0; i < len; i++) {
                jpeg[pos + 4 + i] = (byte) random.nextInt(0xFF);
            }
            pos += 4 + len;
        }
        while (pos < stampAt) {
            jpeg[pos++] = 0x20; // pads at most 3 bytes when the filler cannot hold a segment header
        }
        System.arraycopy(MAGIC, 0, jpeg, stampAt, MAGIC.length);
        jpeg[frameBytes - 2] = (byte) 0xFF;
        jpeg[frameBytes - 1] = (byte) 0xD9;

        byte[] pre = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"device_id\"\r\n\r\nbench\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"frame\"; filename=\"f.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] post = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        int bodyLength = pre.length + jpeg.length + post.length;
        byte[] head = ("POST /api/v1/devices/doorbell/camera-stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                + "Content-Length: " + bodyLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + bodyLength];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(pre, 0, request, head.length, pre.length);
        System.arraycopy(jpeg, 0, request, head.length + pre.length, jpeg.length);
        System.arraycopy(post, 0, request, head.length + pre.length + jpeg.length, post.length);
        int stamp = head.length + pre.length + stampAt + MAGIC.length;

        post(request, FRAME_INTERVAL_NANOS, true, (req, seq) -> {
            putLong(req, stamp, seq);
            putLong(req, stamp + 8, System.nanoTime());
        });
    }

    private void runMic() {
        byte[] head = ("POST /api/v1/devices/doorbell/mic-stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\nContent-Type: application/octet-stream\r\n"
                + "X-Sequence: ").getBytes(StandardCharsets.US_ASCII);
        post(head, AUDIO_INTERVAL_NANOS, false, null);
    }

    private interface Stamp {
        void apply(byte[] request, long sequence);
    }

    /** Posts at a fixed rate while running; a late post is not made up for with a burst. */
    private void post(byte[] request, long interval, boolean camera, Stamp stamp) {
        long seq = 0;
        long next = System.nanoTime();
        while (running) {
            Socket socket = null;
            try {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                byte[] pcm = new byte[AUDIO_CHUNK];
                while (running) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                    next = Math.max(next + interval, System.nanoTime() - interval);
                    if (paused) {
                        continue;
                    }
                    seq++;
                    long t0 = System.nanoTime();
                    if (camera) {
                        stamp.apply(request, seq);
                        lastStamped = seq;
                        t0 = System.nanoTime();
                        out.write(request);
                    } else {
                        out.write(request);
                        out.write((seq + "\r\nContent-Length: " + AUDIO_CHUNK + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.write(pcm);
                        audioSent = recording ? audioSent + 1 : audioSent;
                    }
                    out.flush();
                    int status = readResponse(in);
                    if (camera && recording) {
                        if ((status & 0xFFFF) == 200) {
                            postLatency.record(System.nanoTime() - t0);
                        } else {
                            postErrors++;
                        }
                    }
                    if (status >> 16 != 0) {
                        break; // the server closes this connection (Tomcat: every 100th request); open a new one
                    }
                }
            } catch (IOException e) {
                if (camera && recording) {
                    postErrors++;
                }
                LockSupport.parkNanos(50_000_000);
            } finally {
                if (socket != null) {
                    closeQuietly(socket);
                }
            }
        }
    }

    /**
     * Reads one HTTP response (Content-Length or chunked body); returns its status, plus 1 << 16 when the
     * server said it closes the connection.
     */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h; !(h = line(in)).isEmpty(); ) {
            String lower = h.toLowerCase();
            close |= lower.startsWith("connection:") && lower.contains("close");
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size; (size = Long.parseLong(line(in).strip(), 16)) > 0; ) {
                in.skipNBytes(size);
                line(in);
            }
            line(in);
        } else if (length > 0) {
            in.skipNBytes(length);
        }
        return close ? code | 1 << 16 : code;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    private static void putLong(byte[] bytes, int at, long value) {
        for (int i = 7; i >= 0; i--) {
            bytes[at + i] = (byte) value;
            value >>>= 8;
        }
    }

    /** Latencies in 0.1 ms buckets up to 10 s; not thread-safe, one per writer thread. */
    static final class Histogram {
        private static final int BUCKETS = 100_000;
        private final long[] counts = new long[BUCKETS + 1];
        private long count;
        private long max;

        void record(long nanos) {
            int bucket = (int) Math.min(BUCKETS, Math.max(0, nanos / 100_000));
            counts[bucket]++;
            count++;
            max = Math.max(max, nanos);
        }

        void reset() {
            java.util.Arrays.fill(counts, 0);
            count = 0;
            max = 0;
        }

        void add(Histogram other) {
            for (int i = 0; i <= BUCKETS; i++) {
                counts[i] += other.counts[i];
            }
            count += other.count;
            max = Math.max(max, other.max);
        }

        long count() {
            return count;
        }

        /** The percentile in milliseconds (upper edge of its bucket); NaN when empty. */
        double percentileMillis(double p) {
            if (count == 0) {
                return Double.NaN;
            }
            long rank = (long) Math.ceil(p / 100.0 * count);
            long seen = 0;
            for (int i = 0; i <= BUCKETS; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return Math.min((i + 1) * 0.1, max / 1e6);
                }
            }
            return max / 1e6;
        }

        double maxMillis() {
            return count == 0 ? Double.NaN : max / 1e6;
        }
    }
}
