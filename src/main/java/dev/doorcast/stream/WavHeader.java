package dev.doorcast.stream;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The 44-byte RIFF/WAVE header that turns the raw PCM stream into something an {@code <audio>} element,
 * ffmpeg or VLC will play. A live stream has no length, so both sizes say 0xFFFFFFFF, the largest a RIFF
 * header can hold; players read that as "until the stream ends" rather than trusting it.
 */
final class WavHeader {

    static final int SIZE = 44;

    private static final int UNKNOWN_LENGTH = 0xFFFF_FFFF;
    private static final short PCM = 1;

    private WavHeader() {
    }

    /** The header of an endless stream of little-endian integer PCM. */
    static byte[] endless(int sampleRate, int channels, int bitsPerSample) {
        int blockAlign = channels * bitsPerSample / 8;
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .put("RIFF".getBytes(StandardCharsets.US_ASCII))
                .putInt(UNKNOWN_LENGTH)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16)
                .putShort(PCM)
                .putShort((short) channels)
                .putInt(sampleRate)
                .putInt(sampleRate * blockAlign)
                .putShort((short) blockAlign)
                .putShort((short) bitsPerSample)
                .put("data".getBytes(StandardCharsets.US_ASCII))
                .putInt(UNKNOWN_LENGTH)
                .array();
    }
}
