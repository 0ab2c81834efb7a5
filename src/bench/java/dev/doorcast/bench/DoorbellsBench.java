package dev.doorcast.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a doorbell costs the server, over its link and over POSTs, in one run: {@code bench.doorbells}
 * doorbells (default 40), each at 5 fps of {@code bench.frame-kb} frames and real-time audio (a 2 KB chunk
 * each 64 ms), for {@code bench.seconds} after a warm-up, on one server; the server's CPU time per
 * doorbell-second. Then what an idle link holds: {@code bench.idle-links} links (default 1,000) that only
 * answer pings, the heap after a full GC and the RSS before and after.
 *
 * <pre>./mvnw -B -Pbench package -Dbench.mode=doorbells</pre>
 */
final class DoorbellsBench {

    private static final long CHUNK_NANOS = 64_000_000;
    private static final long FRAME_NANOS = 200_000_000;

    private final Bench bench;
    private final int doorbells = Integer.getInteger("bench.doorbells", 40);
    private final int idleLinks = Integer.getInteger("bench.idle-links", 1000);
    private final int warmup = Integer.getInteger("bench.warmup", 15);

    DoorbellsBench(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        System.out.printf("%d doorbells at 5 fps of %d KB frames and real-time audio; %d s warm-up, %d s measured%n",
                doorbells, bench.frameBytes / 1024, warmup, bench.seconds);
        Path devices = devicesFile(Math.max(doorbells, idleLinks));
        int port = Bench.freePort();
        Process server = bench.start("doorcast", port, "doorbells",
                "--spring.config.additional-location=file:" + devices.toAbsolutePath());
        try {
            Bench.awaitReady(server, port);
            byte[] jpeg = frame(bench.frameBytes);
            // Alternately, so that the JIT and the machine's load weigh on both alike.
            List<String> rows = new ArrayList<>();
            for (String how : List.of("posts", "link", "posts", "link")) {
                double micros = cost(server.pid(), port, how.equals("link"), jpeg);
                String row = String.format("%-5s  %8.1f us of server CPU per doorbell-second", how, micros);
                System.out.println(row);
                rows.add(row);
            }
            String idle = idleLinks(server.pid(), port);
            System.out.println(idle);
            rows.add(idle);
            Files.writeString(bench.out.resolve("doorbells.md"), String.join("\n", rows) + "\n");
        } finally {
            Bench.stop(server);
        }
    }

    /** The server's CPU per doorbell-second while {@link #doorbells} send for bench.seconds. */
    private double cost(long pid, int port, boolean link, byte[] jpeg) throws Exception {
        List<Thread> threads = new ArrayList<>();
        long warmEnd = System.nanoTime() + warmup * 1_000_000_000L;
        long end = warmEnd + bench.seconds * 1_000_000_000L;
        for (int i = 1; i <= doorbells; i++) {
            String token = token(i);
            threads.add(Thread.ofVirtual().start(() -> doorbell(port, token, link, jpeg, end)));
        }
        long sleep = warmEnd - System.nanoTime();
        Thread.sleep(Math.max(0, sleep / 1_000_000));
        long before = Bench.cpuTicks(pid)[0];
        java.util.Map<String, Long> threadsBefore = threadTicks(pid);
        long started = System.nanoTime();
        Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
        long ticks = Bench.cpuTicks(pid)[0] - before;
        java.util.Map<String, Long> threadsAfter = threadTicks(pid);
        java.util.Map<String, Long> spent = new java.util.TreeMap<>();
        threadsAfter.forEach((name, t) -> spent.merge(name, t - threadsBefore.getOrDefault(name, 0L), Long::sum));
        System.out.println("  where (ticks of 10 ms): " + spent.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .map(e -> e.getKey() + " " + e.getValue()).toList());
        double seconds = (System.nanoTime() - started) / 1e9;
        for (Thread t : threads) {
            t.join(10_000);
        }
        return ticks * 10_000.0 / (doorbells * seconds);
    }

    /** CPU ticks by thread name (numbers dropped), from /proc. */
    private static java.util.Map<String, Long> threadTicks(long pid) throws IOException {
        java.util.Map<String, Long> ticks = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException gone) {
                    // The thread ended.
                }
            }
        }
        return ticks;
    }

    /** One doorbell until {@code end}: frames and audio when due, over its link or one POST at a time. */
    private static void doorbell(int port, String token, boolean link, byte[] jpeg, long end) {
        byte[] pcm = new byte[2048];
        AtomicLong ids = new AtomicLong(System.nanoTime() / 1000);
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            if (link) {
                handshake(out, in, token);
                Thread.ofVirtual().start(() -> answerPings(in, out));
            }
            long next = System.nanoTime();
            long nextFrame = next;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (now < next) {
                    Thread.sleep((next - now) / 1_000_000, (int) ((next - now) % 1_000_000));
                    continue;
                }
                boolean frame = now >= nextFrame;
                if (link) {
                    synchronized (out) {
                        out.write(masked(message(frame ? 1 : 2, ids.incrementAndGet(), frame ? jpeg : pcm)));
                    }
                } else {
                    post(out, in, token, frame, ids.incrementAndGet(), frame ? jpeg : pcm);
                }
                if (frame) {
                    nextFrame += FRAME_NANOS;
                } else {
                    next += CHUNK_NANOS;
                }
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("doorbell ended: " + e);
        }
    }

    private static void post(OutputStream out, InputStream in, String token, boolean frame, long id, byte[] body)
            throws IOException {
        byte[] content = body;
        String type = "application/octet-stream";
        String path = "/api/v1/devices/doorbell/mic-stream";
        if (frame) {
            ByteArrayOutputStream form = new ByteArrayOutputStream();
            form.writeBytes(("--b\r\nContent-Disposition: form-data; name=\"frame_id\"\r\n\r\n" + id + "\r\n--b\r\n"
                    + "Content-Disposition: form-data; name=\"frame\"; filename=\"f.jpg\"\r\nContent-Type: image/jpeg"
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            form.writeBytes(body);
            form.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
            content = form.toByteArray();
            type = "multipart/form-data; boundary=b";
            path = "/api/v1/devices/doorbell/camera-stream";
        }
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: " + type + "\r\nContent-Length: " + content.length
                + (frame ? "" : "\r\nX-Sequence: " + id) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(content);
        out.flush();
        // The answer: its head, then Content-Length bytes.
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        in.readNBytes(length);
    }

    private static void handshake(OutputStream out, InputStream in, String token) throws IOException {
        out.write(("GET /api/v1/devices/doorbell/link HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("no link: " + head);
        }
    }

    /** Reads what the server sends; answers each ping with its pong. */
    private static void answerPings(InputStream in, OutputStream out) {
        try {
            while (true) {
                int first = in.read();
                int length = in.read() & 0x7F;
                if (first < 0) {
                    return;
                }
                if (length == 126) {
                    length = (in.read() << 8) | in.read();
                } else if (length == 127) {
                    length = (int) ByteBuffer.wrap(in.readNBytes(8)).getLong();
                }
                byte[] payload = in.readNBytes(length);
                if ((first & 0x0F) == 0x9) {
                    synchronized (out) {
                        out.write(masked(0xA, payload));
                    }
                }
            }
        } catch (IOException closed) {
            // The run is over.
        }
    }

    private static byte[] message(int type, long id, byte[] payload) {
        return ByteBuffer.allocate(17 + payload.length).put((byte) type).putLong(id)
                .putLong(System.currentTimeMillis()).put(payload).array();
    }

    private static byte[] masked(byte[] message) {
        return masked(0x2, message);
    }

    private static byte[] masked(int opcode, byte[] payload) {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        ByteBuffer frame = ByteBuffer.allocate(14 + payload.length).put((byte) (0x80 | opcode));
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else if (payload.length < 65_536) {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i & 3]));
        }
        return java.util.Arrays.copyOf(frame.array(), frame.position());
    }

    /** The heap and RSS with no link and with {@link #idleLinks} idle ones (the JDK's client answers pings). */
    private String idleLinks(long pid, int port) throws Exception {
        double heapBefore = bench.heapAfterGc(pid);
        double rssBefore = Bench.rssMb(pid);
        HttpClient http = HttpClient.newHttpClient();
        List<WebSocket> links = new ArrayList<>();
        for (int i = 1; i <= idleLinks; i++) {
            links.add(http.newWebSocketBuilder().header("Authorization", "Bearer " + token(i))
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/devices/doorbell/link"),
                            new WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                                    socket.request(1);
                                    return null;
                                }
                            })
                    .get(30, TimeUnit.SECONDS));
        }
        Thread.sleep(3000);
        double heapAfter = bench.heapAfterGc(pid);
        double rssAfter = Bench.rssMb(pid);
        links.forEach(WebSocket::abort);
        return String.format("idle   %d links: heap after GC %.1f -> %.1f MB (%.1f KB a link), RSS %.0f -> %.0f MB "
                        + "(%.1f KB a link)", idleLinks, heapBefore, heapAfter, (heapAfter - heapBefore) * 1024 / idleLinks,
                rssBefore, rssAfter, (rssAfter - rssBefore) * 1024 / idleLinks);
    }

    private static String token(int i) {
        return String.format("bench-doorbell-token-%04d-0123456789", i);
    }

    /** Doorbells d0001... with their tokens, as a settings file (too many for a command line). */
    private Path devicesFile(int count) throws IOException {
        StringBuilder yaml = new StringBuilder("doorcast:\n  devices:\n");
        for (int i = 1; i <= count; i++) {
            yaml.append(String.format("    d%04d:%n      token: %s%n", i, token(i)));
        }
        Path file = bench.out.resolve("doorbells.yaml");
        Files.writeString(file, yaml.toString());
        return file;
    }

    /** A JPEG of about {@code size} bytes: SOI, a comment segment, EOI. */
    private static byte[] frame(int size) {
        ByteBuffer jpeg = ByteBuffer.allocate(size);
        jpeg.put((byte) 0xFF).put((byte) 0xD8).put((byte) 0xFF).put((byte) 0xFE).putShort((short) (size - 6));
        jpeg.position(size - 2);
        jpeg.put((byte) 0xFF).put((byte) 0xD9);
        return jpeg.array();
    }
}
