package dev.doorcast.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A doorbell on its link, as the firmware opens it: the JDK's own WebSocket client (RFC 6455, masked frames,
 * pongs answered by itself), the device token in the handshake, every message the server sends kept in order.
 */
public final class LinkClient implements AutoCloseable {

    public static final int FRAME = 0x01;
    public static final int AUDIO = 0x02;
    public static final int RING = 0x03;
    public static final int SPEAKER = 0x11;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the server sent: a text's JSON, or a binary message, or the close (code, reason). */
    public record Received(JsonNode json, byte[] binary, int closeCode, String closeReason) {

        public boolean isText() {
            return json != null;
        }

        public boolean isClose() {
            return closeCode != 0;
        }

        public int type() {
            return binary[0] & 0xFF;
        }

        public long id() {
            return ByteBuffer.wrap(binary, 1, 8).getLong();
        }

        public long timestamp() {
            return ByteBuffer.wrap(binary, 9, 8).getLong();
        }

        public byte[] payload() {
            return java.util.Arrays.copyOfRange(binary, 17, binary.length);
        }
    }

    private final WebSocket socket;
    private final BlockingQueue<Received> received;
    private final Listener listener;

    private LinkClient(WebSocket socket, BlockingQueue<Received> received, Listener listener) {
        this.socket = socket;
        this.received = received;
        this.listener = listener;
    }

    /** Opens the link of the device whose token is {@code token}, through {@code port} on 127.0.0.1. */
    public static LinkClient open(int port, String token) throws Exception {
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        Listener listener = new Listener(received);
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/devices/doorbell/link"), listener)
                .get(10, TimeUnit.SECONDS);
        return new LinkClient(socket, received, listener);
    }

    /** Sends one message: {@code [type][id][timestamp][payload]}. */
    public void send(int type, long id, long timestamp, byte[] payload) throws Exception {
        sendRaw(message(type, id, timestamp, payload));
    }

    /**
     * One frame as a client puts it on the wire, for tests that write raw bytes: its first byte as given (FIN,
     * opcode), the length in its shortest form, the payload masked with a random key.
     */
    public static byte[] masked(int first, byte[] payload) {
        byte[] mask = new byte[4];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(mask);
        ByteBuffer frame = ByteBuffer.allocate(14 + payload.length).put((byte) first);
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

    public static byte[] message(int type, long id, long timestamp, byte[] payload) {
        return ByteBuffer.allocate(17 + payload.length).put((byte) type).putLong(id).putLong(timestamp).put(payload)
                .array();
    }

    public void sendRaw(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
    }

    public void sendText(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    /** The next thing the server sent, waiting at most {@code timeout}; fails if nothing came. */
    public Received next(Duration timeout) throws InterruptedException {
        Received next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            Throwable failed = listener.failure;
            throw new AssertionError("the server sent nothing within " + timeout + (failed != null
                    ? "; the link failed: " + failed : isOpen() ? "; the link is open" : "; the link is closed"));
        }
        return next;
    }

    /** The next text of {@code type}, skipping everything else but the server's close, which fails. */
    public JsonNode nextText(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Received next = notClosed(next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))), type);
            if (next.isText() && type.equals(next.json().path("type").asString())) {
                return next.json();
            }
        }
    }

    /** The next binary message of {@code type}, skipping everything else but the server's close, which fails. */
    public Received nextBinary(int type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Received next = notClosed(next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))),
                    "0x" + Integer.toHexString(type));
            if (!next.isText() && next.type() == type) {
                return next;
            }
        }
    }

    private static Received notClosed(Received next, String awaited) {
        if (next.isClose()) {
            throw new AssertionError("the server closed the link with " + next.closeCode() + " ("
                    + next.closeReason() + ") before a " + awaited + " message came");
        }
        return next;
    }

    /** The close the server sent, skipping everything before it. */
    public Received nextClose(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Received next = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (next.isClose()) {
                return next;
            }
        }
    }

    /** Whether the link is open both ways: the server has neither closed nor dropped it. */
    public boolean isOpen() {
        return !socket.isInputClosed() && !socket.isOutputClosed();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private static final class Listener implements WebSocket.Listener {

        private final BlockingQueue<Received> received;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        /** Why the link ended other than by a close frame: a reset, an end of stream, a protocol error. */
        private volatile Throwable failure;

        Listener(BlockingQueue<Received> received) {
            this.received = received;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(new Received(JSON.readTree(text.toString()), null, 0, null));
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                received.add(new Received(null, binary.toByteArray(), 0, null));
                binary.reset();
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            received.add(new Received(null, null, statusCode, reason));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            failure = error;
        }
    }
}
