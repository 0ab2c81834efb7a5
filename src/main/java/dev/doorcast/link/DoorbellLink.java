package dev.doorcast.link;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.doorcast.buffer.Audience;
import dev.doorcast.buffer.AudioChunk;
import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.ingest.DeviceIntake;
import dev.doorcast.speaker.Speaker;
import dev.doorcast.stream.DeviceViewers;
import dev.doorcast.stream.Viewer;
import dev.doorcast.system.ApiException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One doorbell's link while it is open. What comes in goes through the same {@link DeviceIntake} as the
 * POSTs; what breaks a rule gets a {@code refused} notice (what the POST would have answered 4xx) and nothing
 * is stored; nothing else is acknowledged. What goes out is written by one thread: the speaker's audio in
 * order, a {@code watching} notice whenever whether anyone watches or listens changes, pings, and refusals.
 *
 * <p>What comes in is handled on the thread that reads it (a link poller's, or the link's own reader on
 * Tomcat's path), which never writes: a doorbell that stops reading slows only its own notices and speaker,
 * never its uplink or anyone else.
 */
final class DoorbellLink {

    /** Doorbell to server text is small JSON; nothing needs more. */
    static final int MAX_TEXT_MESSAGE = 4096;
    /** Refusals waiting to go out; past this a doorbell sending nothing but faults hears of the first ones only. */
    private static final int MAX_QUEUED_NOTICES = 32;
    /** How many talk chunks (64 ms each) the speaker may lag before it jumps to the newest. */
    private static final int MAX_SPEAKER_LAG = 16;
    /** How long a link the server ends waits for the doorbell to end its side before closing the connection. */
    private static final Duration CLOSING_WAIT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(DoorbellLink.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String device;
    private final DeviceIntake intake;
    private final DeviceViewers channel;
    private final Speaker speaker;
    private final DoorbellLinks links;
    private final Duration pingEvery;
    private final Duration silence;
    private final long openedAt;
    /** This link's place among its server's handshakes: of two links of one doorbell, the later one stays. */
    private final long handshake;

    private final Queue<byte[]> notices = new ArrayDeque<>();
    private volatile @Nullable Thread writer;
    private volatile @Nullable Thread reading;
    private volatile @Nullable LinkConnection connection;
    /** Set once, when nothing more is read. */
    private final AtomicBoolean readingOver = new AtomicBoolean();
    /** Counted down when the reader stops reading. */
    private final CountDownLatch readerDone = new CountDownLatch(1);
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile boolean open = true;
    private volatile int closeCode;
    private volatile String closeReason = "";
    private volatile byte @Nullable [] pong;
    private volatile long roundTripNanos = -1;
    /** Whether anyone watches the camera or listens, as last seen; told to the doorbell when it changes. */
    private volatile boolean watched;
    private volatile boolean heard;
    private volatile boolean watchingDue = true;

    DoorbellLink(String device, DeviceIntake intake, DeviceViewers channel, Speaker speaker, DoorbellLinks links,
            Duration pingEvery, Duration silence, long openedAt) {
        this.device = device;
        this.intake = intake;
        this.channel = channel;
        this.speaker = speaker;
        this.links = links;
        this.pingEvery = pingEvery;
        this.silence = silence;
        this.openedAt = openedAt;
        this.handshake = links.nextHandshake();
    }

    String device() {
        return device;
    }

    long openedAt() {
        return openedAt;
    }

    long handshake() {
        return handshake;
    }

    /** The round trip of the last ping, or -1 before the first pong. */
    long roundTripMillis() {
        long nanos = roundTripNanos;
        return nanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /**
     * Looks at the audience, and has the writer tell the doorbell if it changed; ends a link silent past its
     * limit, or one whose write has waited on the doorbell past the write timeout. Called by a sweep twice a
     * second for every link, so that an idle link's writer sleeps until there is something to send, and its
     * reads and writes wait with no timer of their own.
     */
    void sweep() {
        if (System.nanoTime() - lastHeardNanos > silence.toNanos()) {
            close(1001, "nothing heard for " + silence.toSeconds() + " s");
            return;
        }
        LinkConnection socket = connection;
        if (socket != null) {
            socket.endStuckWrite();
        }
        Audience audience = channel.viewers();
        boolean camera = audience.viewers() > 0;
        boolean audio = audience.listeners() > 0;
        if (camera != watched || audio != heard) {
            watched = camera;
            heard = audio;
            watchingDue = true;
            wake();
        }
    }

    /** A frame's message: its head and the largest frame the intake takes. */
    int maxBinaryMessage() {
        return Math.toIntExact(LinkMessage.HEAD + Math.max(intake.maxFrameSize(), intake.maxChunkSize()));
    }

    /**
     * Runs the link on the calling thread, which reads it ({@code reader} pulls each message from Tomcat), and
     * starts its writer; returns when the link is over.
     */
    void run(LinkConnection connection, LinkReader reader) {
        reading = Thread.currentThread();
        Thread out = begin(connection);
        try {
            // A link the server ends may still have the doorbell sending. What it sends is dropped until it
            // answers the close frame, or ends, or the writer stops waiting: a close that found unread bytes
            // would go out as a reset, which may overtake the close frame and take it from the doorbell.
            if (!read(reader)) {
                reader.discardUntilClose();
            }
        } catch (LinkReader.Violation violation) {
            close(violation.code(), violation.getMessage());
            // Past a broken rule the frames cannot be followed: everything is dropped until the doorbell ends.
            reader.discardUntilEnd();
        } catch (IOException gone) {
            close(1006, "");
        } finally {
            readingEnded();
        }
        try {
            out.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts the link whose messages a link poller pushes, as they come, to what this returns; starts its
     * writer. The same rules as {@link #run}'s, on the poller's thread.
     */
    Receiver start(LinkConnection connection) {
        begin(connection);
        return new Receiver();
    }

    private Thread begin(LinkConnection connection) {
        Thread out = Thread.ofVirtual().name("doorcast-link-out").unstarted(() -> write(connection));
        writer = out;
        this.connection = connection;
        links.opened(this);
        out.start();
        return out;
    }

    /** The reading is over: the writer may end the connection, and the doorbell has no link here any more. */
    private void readingEnded() {
        if (readingOver.compareAndSet(false, true)) {
            open = false;
            readerDone.countDown();
            Thread out = writer;
            if (out != null) {
                LockSupport.unpark(out);
            }
            links.closed(this);
        }
    }

    /** Where a link poller pushes what it read, whole messages at a time, on its own thread; never blocks. */
    final class Receiver implements LinkFrames.Handler {

        /**
         * A whole message or control frame: handled while the link is open; once the server ended it, dropped
         * until the doorbell's close frame. False once nothing more is to be read.
         */
        @Override
        public boolean received(int opcode, byte[] payload) throws LinkReader.Violation {
            if (!open) {
                if (opcode == LinkReader.CLOSE) {
                    readingEnded();
                    return false;
                }
                return true;
            }
            if (handle(opcode, payload)) {
                return true;
            }
            readingEnded();
            return false;
        }

        /**
         * A rule broken: an open link closes with the rule's code, and everything still coming is to be dropped
         * unlooked at until the doorbell ends (true); a closing one has nothing more to wait for (false).
         */
        boolean violated(LinkReader.Violation violation) {
            if (!open) {
                readingEnded();
                return false;
            }
            close(violation.code(), violation.getMessage());
            return true;
        }

        /** Handling a message failed on a fault of the server's: the link ends, its bytes are dropped. */
        void failed(RuntimeException fault) {
            log.warn("Doorbell {}'s link failed", device, fault);
            close(1011, "the server failed");
        }

        /** Nothing more comes: the end of the stream or the connection closed ({@code end}), or reading stopped. */
        void ended(boolean end) {
            if (end) {
                close(1006, "");
            }
            readingEnded();
        }
    }

    /**
     * Ends the link: a close frame with {@code code} and {@code reason} goes out (unless 1006: the connection
     * is gone), then the connection closes.
     */
    void close(int code, String reason) {
        if (closeCode == 0) {
            closeReason = reason;
            closeCode = code;
        }
        open = false;
        wake();
    }

    /** Reads and handles messages while the link is open; true when the doorbell's close frame ended it. */
    private boolean read(LinkReader reader) throws IOException {
        while (open) {
            LinkReader.Received received = reader.next();
            if (!handle(received.opcode(), received.payload())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Handles one whole message or control frame of an open link, whether pulled or pushed; false when it was
     * the doorbell's close frame.
     */
    private boolean handle(int opcode, byte[] payload) throws LinkReader.Violation {
        lastHeardNanos = System.nanoTime();
        switch (opcode) {
            case LinkReader.BINARY -> binary(payload);
            case LinkReader.TEXT -> text(new String(payload, StandardCharsets.UTF_8));
            case LinkReader.PING -> {
                pong = payload;
                wake();
            }
            case LinkReader.PONG -> pong(payload);
            case LinkReader.CLOSE -> {
                int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1000;
                close(code == 1005 || code == 1006 || code == 1015 ? 1000 : code, "");
                return false;
            }
            default -> throw new LinkReader.Violation(1002, "opcode " + opcode);
        }
        return true;
    }

    private void binary(byte[] bytes) {
        LinkMessage message = LinkMessage.parse(bytes);
        if (message == null) {
            refuse("message", 0, 400, "A binary message starts with a 17-byte head: type, id, timestamp; this one "
                    + "has " + bytes.length + " bytes", 0);
            return;
        }
        try {
            switch (message.type()) {
                case LinkMessage.FRAME -> intake.frame(device, message.payload(), null, message.id(),
                        message.knownTimestamp());
                case LinkMessage.AUDIO -> intake.audio(device, message.payload(), message.id());
                case LinkMessage.RING -> ring(message);
                default -> throw ApiException.badRequest("Unknown message type 0x"
                        + Integer.toHexString(message.type()) + ": a doorbell sends 0x01 frame, 0x02 audio, 0x03 ring");
            }
        } catch (ApiException refused) {
            refuse(kind(message.type()), message.id(), refused.status().value(), refused.getMessage(),
                    refused.retryAfterSeconds());
        }
    }

    /** What a refusal calls a message of {@code type}. */
    private static String kind(int type) {
        return switch (type) {
            case LinkMessage.FRAME -> "frame";
            case LinkMessage.AUDIO -> "audio";
            case LinkMessage.RING -> "ring";
            default -> "unknown";
        };
    }

    private void ring(LinkMessage message) {
        if (message.payload().length > 0) {
            throw ApiException.badRequest("A ring has no payload; this one has " + message.payload().length + " bytes");
        }
        // A doorbell that lost its link may send a press again on the next: the same counter is the same press.
        if (links.firstPress(device, message.id(), message.timestamp(), System.currentTimeMillis())) {
            intake.ring(device, message.knownTimestamp());
        }
    }

    private void text(String text) {
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (JacksonException notJson) {
            refuse("text", 0, 400, "A text message is a JSON object with a type; this one is not JSON", 0);
            return;
        }
        if (!json.isObject() || !json.path("type").isString()) {
            refuse("text", 0, 400, "A text message is a JSON object with a type", 0);
            return;
        }
        // The doorbell has nothing to say in text yet; a newer doorbell's notices are heard and let be.
        log.debug("Doorbell {} says {}", device, json.path("type").asString());
    }

    private void pong(byte[] payload) {
        if (payload.length == Long.BYTES) {
            long sent = ByteBuffer.wrap(payload).getLong();
            long now = System.nanoTime();
            if (sent <= now && now - sent < TimeUnit.MINUTES.toNanos(1)) {
                roundTripNanos = now - sent;
            }
        }
    }

    private void refuse(String kind, long id, int status, String detail, long retryAfter) {
        ObjectNode refusal = JSON.createObjectNode().put("type", "refused").put("kind", kind).put("id", id)
                .put("status", status).put("detail", detail);
        if (retryAfter > 0) {
            refusal.put("retryAfter", retryAfter);
        }
        synchronized (notices) {
            if (notices.size() < MAX_QUEUED_NOTICES) {
                notices.add(refusal.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        wake();
    }

    private void wake() {
        Thread out = writer;
        if (out != null) {
            LockSupport.unpark(out);
        }
    }

    /** The writer: everything that goes to the doorbell, from one thread, until the link ends. */
    private void write(LinkConnection connection) {
        Viewer joined = null;
        try {
            joined = joinSpeakers();
            writeUntilClosed(connection);
        } catch (IOException gone) {
            open = false;
        } finally {
            if (joined != null) {
                speaker.leave(joined);
            }
            if (closeCode != 0 && closeCode != 1006) {
                sendClose(connection);
                // A doorbell still heard from gets a moment to answer; a silent one is gone already.
                if (System.nanoTime() - lastHeardNanos < silence.toNanos()) {
                    awaitReader();
                }
            }
            connection.close();
            // A read waiting through Tomcat on a closed connection is not woken by the close (Tomcat's wait has
            // no timeout here): the interrupt ends it. A link poller's reading ends with the close.
            Thread in = reading;
            if (in != null) {
                in.interrupt();
            }
        }
    }

    private @Nullable Viewer joinSpeakers() {
        try {
            return speaker.joined(Thread.currentThread());
        } catch (ApiException full) {
            log.warn("Doorbell {}'s link carries no speaker audio: {}", device, full.getMessage());
            return null;
        }
    }

    private void writeUntilClosed(LinkConnection connection) throws IOException {
        TalkBuffer talk = channel.channel().talk();
        AudioChunk newest = talk.latestAudio();
        long played = newest == null ? 0 : newest.sequence();
        long lastPing = System.nanoTime();
        watched = channel.viewers().viewers() > 0;
        heard = channel.viewers().listeners() > 0;
        while (open) {
            byte[] answer = pong;
            if (answer != null) {
                pong = null;
                connection.send(LinkReader.PONG, answer);
            }
            byte[] notice;
            while ((notice = nextNotice()) != null) {
                connection.send(LinkReader.TEXT, notice);
            }
            if (watchingDue) {
                watchingDue = false;
                connection.send(LinkReader.TEXT, ("{\"type\":\"watching\",\"camera\":" + watched + ",\"audio\":"
                        + heard + "}").getBytes(StandardCharsets.US_ASCII));
            }
            AudioChunk next = talk.audioAfter(played);
            if (next != null) {
                AudioChunk latest = talk.latestAudio();
                if (latest != null && latest.sequence() - next.sequence() > MAX_SPEAKER_LAG) {
                    next = latest;
                }
                connection.send(LinkReader.BINARY, new LinkMessage(LinkMessage.SPEAKER, next.sequence(),
                        next.receivedAt(), next.pcm()).encode());
                played = next.sequence();
                continue;
            }
            long now = System.nanoTime();
            if (now - lastPing >= pingEvery.toNanos()) {
                connection.send(LinkReader.PING, ByteBuffer.allocate(Long.BYTES).putLong(now).array());
                lastPing = now;
            }
            if (open && pong == null && !watchingDue && !hasNotices()) {
                // Woken by a voice for the speaker, a notice, a pong to send or the end; else at the next ping.
                LockSupport.parkNanos(this, pingEvery.toNanos() - (now - lastPing));
            }
        }
    }

    private byte @Nullable [] nextNotice() {
        synchronized (notices) {
            return notices.poll();
        }
    }

    private boolean hasNotices() {
        synchronized (notices) {
            return !notices.isEmpty();
        }
    }

    /**
     * Gives the doorbell a moment to answer the close frame with its own and end its side (RFC 6455 section
     * 7.1), which ends the reader; a doorbell that does not is closed on all the same.
     */
    private void awaitReader() {
        try {
            readerDone.await(CLOSING_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendClose(LinkConnection connection) {
        byte[] reason = closeReason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(reason.length, 123);
        byte[] payload = ByteBuffer.allocate(2 + length).putShort((short) closeCode).put(reason, 0, length).array();
        try {
            connection.send(LinkReader.CLOSE, payload);
        } catch (IOException gone) {
            // The doorbell is gone; the connection closes all the same.
        }
    }
}
