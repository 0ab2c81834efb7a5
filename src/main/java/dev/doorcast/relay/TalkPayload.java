package dev.doorcast.relay;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.doorcast.buffer.TalkBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A voice chunk's payload on the relay: the talk id, so that the line is held for the same talker on every
 * instance, then the PCM. {@code length(1) talkId(length) pcm}.
 *
 * @param talkId the talker's id for this press of Talk
 * @param pcm 16 kHz 16-bit mono samples
 */
record TalkPayload(String talkId, byte[] pcm) {

    /** The longest payload for chunks of at most {@code maxChunk} bytes. */
    static long maxLength(long maxChunk) {
        return 1 + TalkBuffer.MAX_TALK_ID + maxChunk;
    }

    byte[] encode() {
        byte[] id = talkId.getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[1 + id.length + pcm.length];
        bytes[0] = (byte) id.length;
        System.arraycopy(id, 0, bytes, 1, id.length);
        System.arraycopy(pcm, 0, bytes, 1 + id.length, pcm.length);
        return bytes;
    }

    /** The talk id and PCM of a payload, or null when it holds no talk id of the right form. */
    static @Nullable TalkPayload decode(byte[] payload) {
        if (payload.length < 1) {
            return null;
        }
        int length = payload[0] & 0xFF;
        if (length > TalkBuffer.MAX_TALK_ID || payload.length < 1 + length) {
            return null;
        }
        String talkId = new String(payload, 1, length, StandardCharsets.US_ASCII);
        if (!TalkBuffer.isTalkId(talkId)) {
            return null;
        }
        return new TalkPayload(talkId, Arrays.copyOfRange(payload, 1 + length, payload.length));
    }
}
