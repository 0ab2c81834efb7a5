package dev.doorcast.link;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Reads what a client sends over a WebSocket (RFC 6455), one whole message or control frame at a time. A
 * message's size is judged from its frame headers before its bytes are read: one past the limit ends the
 * link with 1009 having buffered nothing of it. Anything else the RFC forbids a client (an unmasked frame,
 * reserved bits or opcodes, a long or fragmented control frame, a stray continuation) ends it with 1002, and
 * text that is not UTF-8 with 1007.
 */
final class LinkReader {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** Where the bytes come from: a blocking read of at least one byte into {@code into}, or -1 at the end. */
    interface Source {
        int read(ByteBuffer into) throws IOException;
    }

    /** A whole data message (TEXT or BINARY) or a control frame (CLOSE, PING, PONG), unmasked. */
    record Received(int opcode, byte[] payload) {

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Why the link must end: the close code and reason to send. */
    static final class Violation extends IOException {

        private final int code;

        Violation(int code, String reason) {
            super(reason);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    /** A byte array read and written as longs, least significant byte first: the order the mask is laid out in. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Source source;
    private final int maxBinary;
    private final int maxText;
    /** What has been read from the socket and not yet used: frame headers, the start of a payload. */
    private final ByteBuffer staging = ByteBuffer.allocate(512).flip();

    /** A fragmented message in progress: its opcode and what has come so far. */
    private int messageOpcode = -1;
    private byte[] message = new byte[0];
    private int messageLength;

    LinkReader(Source source, int maxBinary, int maxText) {
        this.source = source;
        this.maxBinary = maxBinary;
        this.maxText = maxText;
    }

    /** The next whole message or control frame; blocks until it is in. */
    Received next() throws IOException {
        while (true) {
            int first = readByte();
            int second = readByte();
            boolean fin = (first & 0x80) != 0;
            int opcode = first & 0x0F;
            if ((first & 0x70) != 0) {
                throw new Violation(1002, "reserved bits set without an extension that defines them");
            }
            if ((second & 0x80) == 0) {
                throw new Violation(1002, "a client's frames must be masked");
            }
            long length = second & 0x7F;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
                if (length < 0) {
                    throw new Violation(1002, "a frame length with its top bit set");
                }
            }
            byte[] mask = {(byte) readByte(), (byte) readByte(), (byte) readByte(), (byte) readByte()};
            if (opcode >= CLOSE) {
                if (opcode > PONG) {
                    throw new Violation(1002, "unknown control opcode " + opcode);
                }
                if (!fin || length > 125) {
                    throw new Violation(1002, "a control frame must be whole and at most 125 bytes");
                }
                return new Received(opcode, payload(new byte[(int) length], 0, (int) length, mask));
            }
            if (opcode != CONTINUATION && opcode != TEXT && opcode != BINARY) {
                throw new Violation(1002, "unknown data opcode " + opcode);
            }
            if (opcode == CONTINUATION && messageOpcode < 0) {
                throw new Violation(1002, "a continuation frame with no message to continue");
            }
            if (opcode != CONTINUATION && messageOpcode >= 0) {
                throw new Violation(1002, "a new message before the last one's final frame");
            }
            int kind = opcode == CONTINUATION ? messageOpcode : opcode;
            int limit = kind == TEXT ? maxText : maxBinary;
            long total = (opcode == CONTINUATION ? messageLength : 0) + length;
            if (total > limit) {
                throw new Violation(1009, (kind == TEXT ? "a text message" : "a binary message")
                        + " larger than " + limit + " bytes");
            }
            if (opcode != CONTINUATION && fin) {
                byte[] whole = payload(new byte[(int) length], 0, (int) length, mask);
                return received(opcode, whole);
            }
            if (opcode != CONTINUATION) {
                messageOpcode = opcode;
                messageLength = 0;
                message = new byte[Math.min(limit, Math.max(1024, (int) length * 2))];
            }
            if (message.length < total) {
                message = java.util.Arrays.copyOf(message, (int) Math.min(limit, Math.max(total, message.length * 2L)));
            }
            payload(message, messageLength, (int) length, mask);
            messageLength = (int) total;
            if (fin) {
                byte[] whole = java.util.Arrays.copyOf(message, messageLength);
                int whose = messageOpcode;
                messageOpcode = -1;
                message = new byte[0];
                messageLength = 0;
                return received(whose, whole);
            }
        }
    }

    /** Reads and drops messages until the client's close frame, the end of the stream or a failed read. */
    void discardUntilClose() {
        try {
            while (next().opcode() != CLOSE) {
                // Dropped: the link is closing.
            }
        } catch (IOException endedOrBroken) {
            // Nothing more to wait for.
        }
    }

    /**
     * Reads and drops whatever still comes, until the end of the stream or a failed read (the connection was
     * closed); holds nothing of it.
     */
    void discardUntilEnd() {
        try {
            do {
                staging.clear();
            } while (source.read(staging) >= 0);
        } catch (IOException closed) {
            // The connection is closed: nothing more will come.
        } finally {
            staging.clear().flip();
        }
    }

    private static Received received(int opcode, byte[] payload) throws Violation {
        return new Received(opcode, checked(opcode, payload));
    }

    /** A whole message's payload, once text has been found UTF-8 (1007 if not). */
    static byte[] checked(int opcode, byte[] payload) throws Violation {
        if (opcode == TEXT) {
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(payload));
            } catch (CharacterCodingException e) {
                throw new Violation(1007, "a text message that is not UTF-8");
            }
        }
        return payload;
    }

    /** Reads {@code length} bytes into {@code into} at {@code offset}, unmasked; most go straight from the socket. */
    private byte[] payload(byte[] into, int offset, int length, byte[] mask) throws IOException {
        int done = Math.min(length, staging.remaining());
        staging.get(into, offset, done);
        while (done < length) {
            int read = source.read(ByteBuffer.wrap(into, offset + done, length - done));
            if (read < 0) {
                throw new EOFException("the link ended within a frame");
            }
            done += read;
        }
        unmask(into, offset, length, mask);
        return into;
    }

    /**
     * XORs {@code length} bytes at {@code offset} with the frame's 4-byte mask, eight at a time: a byte at a
     * time costs several times more, and every byte a doorbell sends passes here.
     */
    static void unmask(byte[] bytes, int offset, int length, byte[] mask) {
        long key = (mask[0] & 0xFFL) | (mask[1] & 0xFFL) << 8 | (mask[2] & 0xFFL) << 16 | (mask[3] & 0xFFL) << 24;
        key |= key << 32;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            LONGS.set(bytes, offset + i, (long) LONGS.get(bytes, offset + i) ^ key);
        }
        for (; i < length; i++) {
            bytes[offset + i] ^= mask[i & 3];
        }
    }

    private int readByte() throws IOException {
        if (!staging.hasRemaining()) {
            staging.clear();
            int read;
            do {
                read = source.read(staging);
            } while (read == 0);
            staging.flip();
            if (read < 0) {
                throw new EOFException("the link ended");
            }
        }
        return staging.get() & 0xFF;
    }
}
