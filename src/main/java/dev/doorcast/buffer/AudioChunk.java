package dev.doorcast.buffer;

import org.jspecify.annotations.Nullable;

/**
 * One chunk of 16 kHz, 16-bit little-endian, mono PCM as the device sent it.
 *
 * @param sequence the buffer's own number for it, from 1, one higher for every chunk accepted
 * @param receivedAt server time it arrived, epoch milliseconds
 * @param deviceSequence the {@code X-Sequence} the device sent
 * @param pcm the samples exactly as received; never modified after construction
 */
public record AudioChunk(
        long sequence,
        long receivedAt,
        @Nullable Long deviceSequence,
        byte[] pcm) implements Sequenced {

    public int size() {
        return pcm.length;
    }
}
