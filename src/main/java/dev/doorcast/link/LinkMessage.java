package dev.doorcast.link;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * One binary message on the link, either way: {@code [type: 1 byte][id: 8 bytes][timestamp: 8 bytes][payload]},
 * numbers big-endian, the timestamp in ms since the epoch (0 when unknown).
 *
 * @param id a frame's {@code frame_id}, an audio chunk's sequence, a ring's press counter
 */
record LinkMessage(int type, long id, long timestamp, byte[] payload) {

    /** Doorbell to server: one JPEG. */
    static final int FRAME = 0x01;
    /** Doorbell to server: a chunk of 16 kHz 16-bit mono PCM from the microphone. */
    static final int AUDIO = 0x02;
    /** Doorbell to server: the button was pressed; no payload. */
    static final int RING = 0x03;
    /** Server to doorbell: a chunk of what viewers say, for the speaker. */
    static final int SPEAKER = 0x11;

    static final int HEAD = 17;

    /** The message in {@code bytes}, or null when they are shorter than its head. */
    static @Nullable LinkMessage parse(byte[] bytes) {
        if (bytes.length < HEAD) {
            return null;
        }
        ByteBuffer head = ByteBuffer.wrap(bytes, 0, HEAD);
        int type = head.get() & 0xFF;
        return new LinkMessage(type, head.getLong(), head.getLong(), Arrays.copyOfRange(bytes, HEAD, bytes.length));
    }

    byte[] encode() {
        return ByteBuffer.allocate(HEAD + payload.length).put((byte) type).putLong(id).putLong(timestamp)
                .put(payload).array();
    }

    /** A timestamp of 0 is none. */
    @Nullable Long knownTimestamp() {
        return timestamp == 0 ? null : timestamp;
    }
}
