package dev.doorcast.relay;

import java.nio.ByteBuffer;

import io.lettuce.core.codec.RedisCodec;

/**
 * Bytes in, bytes out, like Lettuce's {@code ByteArrayCodec}, except that a value longer than any message
 * may be is not copied onto the heap: it becomes {@link #OVERSIZED}, which the relay counts and drops.
 * Lettuce has read it into its own buffer by then; how much that can be is bounded by Redis, which cuts a
 * subscriber off past its {@code client-output-buffer-limit pubsub} (32 MB by default).
 */
final class RelayCodec implements RedisCodec<byte[], byte[]> {

    /** Stands for a value that was too long to copy; compared by identity. */
    static final byte[] OVERSIZED = new byte[0];

    private final int maxValue;

    RelayCodec(int maxValue) {
        this.maxValue = maxValue;
    }

    @Override
    public byte[] decodeKey(ByteBuffer bytes) {
        return copy(bytes);
    }

    @Override
    public byte[] decodeValue(ByteBuffer bytes) {
        return bytes.remaining() > maxValue ? OVERSIZED : copy(bytes);
    }

    @Override
    public ByteBuffer encodeKey(byte[] key) {
        return ByteBuffer.wrap(key);
    }

    @Override
    public ByteBuffer encodeValue(byte[] value) {
        return ByteBuffer.wrap(value);
    }

    private static byte[] copy(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        return copy;
    }
}
