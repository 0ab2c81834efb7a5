package dev.doorcast.buffer;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * The doorbell's recent past: a ring of the latest camera frames and one of the latest audio chunks.
 * Memory is bounded by the two capacities however long it runs. Device requests add to it; viewers read
 * the newest item or walk forward by sequence; listeners are told of each new item.
 */
public final class StreamBuffer {

    private final Ring<Frame> frames;
    private final Ring<AudioChunk> audio;
    private final InstantSource clock;
    private final LongAdder bytesReceived = new LongAdder();
    private final List<BufferListener> listeners = new CopyOnWriteArrayList<>();

    public StreamBuffer(int frameCapacity, int audioCapacity, InstantSource clock) {
        this.frames = new Ring<>(frameCapacity);
        this.audio = new Ring<>(audioCapacity);
        this.clock = clock;
    }

    public void addListener(BufferListener listener) {
        listeners.add(listener);
    }

    /** Stores a frame the device sent and tells the listeners; the bytes are kept, not copied. */
    public Frame addFrame(byte[] jpeg, @Nullable String deviceId, @Nullable Long deviceFrameId,
            @Nullable Long captureTimestamp) {
        long now = clock.millis();
        Frame frame = frames.append(seq -> new Frame(seq, now, deviceId, deviceFrameId, captureTimestamp, jpeg));
        bytesReceived.add(jpeg.length);
        for (BufferListener listener : listeners) {
            listener.onFrame(frame);
        }
        return frame;
    }

    /** Stores an audio chunk the device sent and tells the listeners; the bytes are kept, not copied. */
    public AudioChunk addAudio(byte[] pcm, @Nullable Long deviceSequence) {
        long now = clock.millis();
        AudioChunk chunk = audio.append(seq -> new AudioChunk(seq, now, deviceSequence, pcm));
        bytesReceived.add(pcm.length);
        for (BufferListener listener : listeners) {
            listener.onAudio(chunk);
        }
        return chunk;
    }

    public @Nullable Frame latestFrame() {
        return frames.newest();
    }

    public @Nullable AudioChunk latestAudio() {
        return audio.newest();
    }

    /**
     * The chunk a listener that has played up to {@code sequence} should play next: the one right after
     * it, or the oldest still held if that one was already overwritten; null when it has them all.
     */
    public @Nullable AudioChunk audioAfter(long sequence) {
        return audio.after(sequence);
    }

    /**
     * The held frame that arrived nearest in time to {@code epochMillis}, if one arrived within
     * {@code window} of it. On a tie the newer frame wins.
     */
    public Optional<Frame> frameNearest(long epochMillis, Duration window) {
        Frame best = null;
        long bestDistance = Long.MAX_VALUE;
        for (Frame frame : frames.toList()) {
            long distance = Math.abs(frame.receivedAt() - epochMillis);
            if (distance <= bestDistance) {
                best = frame;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= window.toMillis() ? Optional.of(best) : Optional.empty();
    }

    public BufferStats stats() {
        Frame lastFrame = frames.newest();
        AudioChunk lastChunk = audio.newest();
        return new BufferStats(
                frames.added(),
                audio.added(),
                bytesReceived.sum(),
                frames.evictions(),
                audio.evictions(),
                frames.size(),
                frames.capacity(),
                audio.size(),
                audio.capacity(),
                lastFrame == null ? null : lastFrame.receivedAt(),
                lastChunk == null ? null : lastChunk.receivedAt());
    }
}
