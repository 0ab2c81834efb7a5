package dev.doorcast.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The baseline: the least a server can do to relay the doorbell, with no framework. A virtual thread per
 * connection; a POST's frame is framed as an MJPEG part once and every viewer's thread writes the newest
 * part with one blocking write, skipping what it missed. Same wire format as doorcast, no security, no
 * limits, no stats. Run as {@code java RawFanout PORT}.
 */
public final class RawFanout {

    private record Part(long seq, byte[] bytes) {
    }

    /**
     * The newest part, and the threads of the viewers watching it. Publishing wakes each of them on its own
     * ({@code LockSupport.unpark}), as doorcast does: with one monitor and {@code notifyAll}, thousands of woken
     * threads would queue for that monitor before any could write, and the baseline would fall behind on its
     * own lock rather than on what fan-out costs.
     */
    private static final class Feed {
        private volatile Part latest = new Part(0, new byte[0]);
        private final Set<Thread> watching = ConcurrentHashMap.newKeySet();

        void publish(byte[] bytes) {
            synchronized (this) { // posts may overlap; parts are numbered in order
                latest = new Part(latest.seq() + 1, bytes);
            }
            for (Thread t : watching) {
                LockSupport.unpark(t);
            }
        }

        /** The first part newer than {@code seq}; the calling thread must be {@link #watching}. */
        Part after(long seq) {
            Part part;
            while ((part = latest).seq() <= seq) {
                LockSupport.park(this); // a publish between the check and the park leaves a permit: no lost wake-up
            }
            return part;
        }
    }

    private static final Feed VIDEO = new Feed();
    private static final Feed AUDIO = new Feed();

    public static void main(String[] args) throws IOException {
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]), 10_000)) {
            while (true) {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String request = line(in);
                long length = 0;
                for (String h; !(h = line(in)).isEmpty(); ) {
                    if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                        length = Long.parseLong(h.substring(15).strip());
                    }
                }
                if (request.startsWith("POST")) {
                    byte[] body = in.readNBytes((int) length);
                    if (request.contains("mic-stream")) {
                        AUDIO.publish(body);
                    } else {
                        VIDEO.publish(part(body));
                    }
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } else {
                    boolean audio = request.contains("/audio");
                    out.write(("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: "
                            + (audio ? "audio/pcm" : "multipart/x-mixed-replace;boundary=doorcast")
                            + "\r\n\r\n" + (audio ? "" : "--doorcast\r\n")).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Feed feed = audio ? AUDIO : VIDEO;
                    feed.watching.add(Thread.currentThread());
                    try {
                        for (long sent = feed.latest.seq(); ; ) {
                            Part part = feed.after(sent);
                            out.write(part.bytes());
                            sent = part.seq();
                        }
                    } finally {
                        feed.watching.remove(Thread.currentThread());
                    }
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the client left
        }
    }

    /** The JPEG inside the multipart body (SOI to the last EOI), framed as one MJPEG part. */
    private static byte[] part(byte[] body) {
        int start = 0;
        while ((body[start] & 0xFF) != 0xFF || (body[start + 1] & 0xFF) != 0xD8) {
            start++;
        }
        int end = body.length - 1;
        while ((body[end - 1] & 0xFF) != 0xFF || (body[end] & 0xFF) != 0xD9) {
            end--;
        }
        int size = end + 1 - start;
        byte[] head = ("Content-Type: image/jpeg\r\nContent-Length: " + size + "\r\nX-Timestamp: "
                + System.currentTimeMillis() + "\r\nX-Sequence: " + (VIDEO.latest.seq() + 1) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\r\n--doorcast\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] part = new byte[head.length + size + tail.length];
        System.arraycopy(head, 0, part, 0, head.length);
        System.arraycopy(body, start, part, head.length, size);
        System.arraycopy(tail, 0, part, head.length + size, tail.length);
        return part;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("closed");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }
}
