package dev.doorcast.link;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * {@link LinkReader}'s rules for bytes pushed in as the socket gives them: a link poller reads whatever has come
 * and feeds it here, and each whole message or control frame goes to the handler at once, on the poller's
 * thread. A message's size is judged from its frame headers before any of it is kept (1009 past the limit),
 * and its array is made only once its first header is in: between messages a link holds its 14-byte header
 * and nothing else. What the RFC forbids a client ends the link with 1002, text that is not UTF-8 with 1007.
 */
final class LinkFrames {

    /** Takes each whole data message (TEXT or BINARY) or control frame, unmasked. */
    interface Handler {
        /** False once nothing more is to be read: the rest is not looked at. */
        boolean received(int opcode, byte[] payload) throws LinkReader.Violation;
    }

    private static final byte[] NOTHING = new byte[0];

    private final int maxBinary;
    private final int maxText;

    /** The frame header in progress: how much of it has come, and how long it is (2 until its length is known). */
    private final byte[] head = new byte[14];
    private int headHave;
    private int headNeed = 2;

    /** The frame whose payload is coming: where it goes, from which offset, how long, how much has come. */
    private int frameOpcode;
    private boolean fin;
    private byte[] mask = new byte[4];
    private byte[] target = NOTHING;
    private int targetOffset;
    private int frameLength;
    private int frameHave;
    /** True between a frame's header and the last byte of its payload. */
    private boolean inPayload;

    /** A fragmented message in progress: its opcode and what has come so far. */
    private int messageOpcode = -1;
    private byte[] message = NOTHING;
    private int messageLength;

    LinkFrames(int maxBinary, int maxText) {
        this.maxBinary = maxBinary;
        this.maxText = maxText;
    }

    /**
     * Takes all of {@code in}, handing each whole message or control frame to {@code handler}; false once the
     * handler said it wants no more (what is left of {@code in} is then not looked at).
     */
    boolean feed(ByteBuffer in, Handler handler) throws LinkReader.Violation {
        while (in.hasRemaining()) {
            if (!inPayload) {
                int n = Math.min(headNeed - headHave, in.remaining());
                in.get(head, headHave, n);
                headHave += n;
                if (headHave < headNeed) {
                    return true;
                }
                if (!header()) {
                    continue;
                }
            } else {
                int n = Math.min(frameLength - frameHave, in.remaining());
                in.get(target, targetOffset + frameHave, n);
                frameHave += n;
            }
            if (frameHave == frameLength && !complete(handler)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Looks at the header so far: false while more of it is to come; true once it is whole, checked, and its
     * payload's place is ready.
     */
    private boolean header() throws LinkReader.Violation {
        int first = head[0] & 0xFF;
        int second = head[1] & 0xFF;
        if (headNeed == 2) {
            if ((first & 0x70) != 0) {
                throw new LinkReader.Violation(1002, "reserved bits set without an extension that defines them");
            }
            if ((second & 0x80) == 0) {
                throw new LinkReader.Violation(1002, "a client's frames must be masked");
            }
            int code = second & 0x7F;
            headNeed = 2 + (code == 126 ? 2 : code == 127 ? 8 : 0) + 4;
            return false;
        }
        fin = (first & 0x80) != 0;
        int opcode = first & 0x0F;
        long length = second & 0x7F;
        int at = 2;
        if (length == 126) {
            length = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
            at = 4;
        } else if (length == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (head[i] & 0xFF);
            }
            at = 10;
            if (length < 0) {
                throw new LinkReader.Violation(1002, "a frame length with its top bit set");
            }
        }
        mask = Arrays.copyOfRange(head, at, at + 4);
        headHave = 0;
        headNeed = 2;
        frameOpcode = opcode;
        frameHave = 0;
        if (opcode >= LinkReader.CLOSE) {
            if (opcode > LinkReader.PONG) {
                throw new LinkReader.Violation(1002, "unknown control opcode " + opcode);
            }
            if (!fin || length > 125) {
                throw new LinkReader.Violation(1002, "a control frame must be whole and at most 125 bytes");
            }
            return payloadInto(new byte[(int) length], 0, (int) length);
        }
        if (opcode != LinkReader.CONTINUATION && opcode != LinkReader.TEXT && opcode != LinkReader.BINARY) {
            throw new LinkReader.Violation(1002, "unknown data opcode " + opcode);
        }
        if (opcode == LinkReader.CONTINUATION && messageOpcode < 0) {
            throw new LinkReader.Violation(1002, "a continuation frame with no message to continue");
        }
        if (opcode != LinkReader.CONTINUATION && messageOpcode >= 0) {
            throw new LinkReader.Violation(1002, "a new message before the last one's final frame");
        }
        int kind = opcode == LinkReader.CONTINUATION ? messageOpcode : opcode;
        int limit = kind == LinkReader.TEXT ? maxText : maxBinary;
        long total = (opcode == LinkReader.CONTINUATION ? messageLength : 0) + length;
        if (total > limit) {
            throw new LinkReader.Violation(1009, (kind == LinkReader.TEXT ? "a text message" : "a binary message")
                    + " larger than " + limit + " bytes");
        }
        if (opcode != LinkReader.CONTINUATION && fin) {
            return payloadInto(new byte[(int) length], 0, (int) length);
        }
        if (opcode != LinkReader.CONTINUATION) {
            messageOpcode = opcode;
            messageLength = 0;
            message = new byte[Math.min(limit, Math.max(1024, (int) length * 2))];
        }
        if (message.length < total) {
            message = Arrays.copyOf(message, (int) Math.min(limit, Math.max(total, message.length * 2L)));
        }
        return payloadInto(message, messageLength, (int) length);
    }

    private boolean payloadInto(byte[] into, int offset, int length) {
        target = into;
        targetOffset = offset;
        frameLength = length;
        inPayload = true;
        return true;
    }

    /** The frame's payload is all in: unmasks it, and hands on what is whole. */
    private boolean complete(Handler handler) throws LinkReader.Violation {
        inPayload = false;
        LinkReader.unmask(target, targetOffset, frameLength, mask);
        byte[] done = target;
        target = NOTHING;
        if (frameOpcode >= LinkReader.CLOSE) {
            return handler.received(frameOpcode, done);
        }
        if (frameOpcode != LinkReader.CONTINUATION && fin) {
            return handler.received(frameOpcode, LinkReader.checked(frameOpcode, done));
        }
        messageLength += frameLength;
        if (!fin) {
            return true;
        }
        byte[] whole = Arrays.copyOf(message, messageLength);
        int whose = messageOpcode;
        messageOpcode = -1;
        message = NOTHING;
        messageLength = 0;
        return handler.received(whose, LinkReader.checked(whose, whole));
    }
}
