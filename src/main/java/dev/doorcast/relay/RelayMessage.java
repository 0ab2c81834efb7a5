package dev.doorcast.relay;

import java.nio.ByteBuffer;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One frame or audio chunk on the wire between instances: a fixed 38-byte binary head, then the bytes as
 * the device sent them. No Base64, no JSON around the JPEG: a 9 KB frame costs 9 KB and 38 bytes.
 *
 * <pre>
 * version(1) kind(1) instance(16) receivedAt(8) deviceNumber(8, -1 for none) length(4) payload(length)
 * </pre>
 *
 * @param kind {@link #FRAME} or {@link #AUDIO}
 * @param instance the instance the device posted to; an instance ignores its own messages
 * @param receivedAt when that instance received it, epoch ms
 * @param deviceNumber the device's {@code frame_id} or {@code X-Sequence}, if it sent one
 * @param payload JPEG or PCM bytes
 */
record RelayMessage(byte kind, UUID instance, long receivedAt, @Nullable Long deviceNumber, byte[] payload) {

    static final byte FRAME = 'F';
    static final byte AUDIO = 'A';
    private static final byte VERSION = 1;
    private static final int HEAD = 1 + 1 + 16 + 8 + 8 + 4;

    byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(HEAD + payload.length);
        out.put(VERSION).put(kind)
                .putLong(instance.getMostSignificantBits()).putLong(instance.getLeastSignificantBits())
                .putLong(receivedAt)
                .putLong(deviceNumber == null ? -1 : deviceNumber)
                .putInt(payload.length)
                .put(payload);
        return out.array();
    }

    /** Reads a message, or returns null for anything that is not one (another version, truncated, noise). */
    static @Nullable RelayMessage decode(byte[] bytes) {
        if (bytes.length < HEAD || bytes[0] != VERSION || (bytes[1] != FRAME && bytes[1] != AUDIO)) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.get();
        byte kind = in.get();
        UUID instance = new UUID(in.getLong(), in.getLong());
        long receivedAt = in.getLong();
        long number = in.getLong();
        int length = in.getInt();
        if (length != in.remaining()) {
            return null;
        }
        byte[] payload = new byte[length];
        in.get(payload);
        return new RelayMessage(kind, instance, receivedAt, number < 0 ? null : number, payload);
    }
}
