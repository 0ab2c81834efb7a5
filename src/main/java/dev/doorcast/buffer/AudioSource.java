package dev.doorcast.buffer;

import org.jspecify.annotations.Nullable;

/**
 * A circular buffer of audio chunks that a listener walks forward in order: the doorbell's microphone
 * ({@link StreamBuffer}) or the voice viewers send its speaker ({@link TalkBuffer}).
 */
public interface AudioSource {

    /** The newest chunk, or null before the first. */
    @Nullable AudioChunk latestAudio();

    /**
     * The chunk a listener that has played up to {@code sequence} should play next: the one right after
     * it, or the oldest still held if that one was already overwritten; null when it has them all.
     */
    @Nullable AudioChunk audioAfter(long sequence);
}
