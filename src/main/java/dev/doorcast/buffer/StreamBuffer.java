package dev.doorcast.buffer;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The doorbell's recent past: a circular buffer of the latest camera frames and one of the latest audio chunks.
 * Memory is bounded by the two capacities however long it runs, and with other devices' buffers by one
 * {@link MemoryBudget}. Device requests add to it; viewers read the newest item or walk forward by sequence;
 * listeners are told of each new item. The doorbell's rings are kept beside it, by {@link DoorbellRings}, whose
 * clips take this buffer's frames and count against the same budget.
 */
public final class StreamBuffer implements AudioSource {

    private final CircularBuffer<Frame> frames;
    private final CircularBuffer<AudioChunk> audio;
    private final InstantSource clock;
    private final LongAdder bytesReceived = new LongAdder();
    private final List<BufferListener> listeners = new CopyOnWriteArrayList<>();
    private final MemoryBudget budget;
    private final AtomicLong held = new AtomicLong();
    /** What keeps this buffer's frames longer than it does: its device's rings, once they are kept beside it. */
    private volatile FrameKeeper keeper = FrameKeeper.NONE;

    /**
     * Something that keeps a device's frames past the frame buffer (the clips of its {@link DoorbellRings}):
     * handed each frame as it is stored, before the budget is enforced, and counted with the buffer, whose
     * memory it gives back first.
     */
    interface FrameKeeper {

        FrameKeeper NONE = new FrameKeeper() {
            @Override
            public void onFrame(Frame frame) {
            }

            @Override
            public boolean releaseOldest(boolean evenTheNewest) {
                return false;
            }
        };

        void onFrame(Frame frame);

        /** Gives back the oldest of what it keeps, the newest too when {@code evenTheNewest}; false if nothing. */
        boolean releaseOldest(boolean evenTheNewest);
    }

    public StreamBuffer(int frameCapacity, int audioCapacity, InstantSource clock) {
        this(frameCapacity, audioCapacity, MemoryBudget.unbounded(), clock);
    }

    /**
     * A buffer whose frames and chunks (and the clips of the rings kept beside it) count, with those of every
     * buffer sharing {@code budget}, against it.
     */
    public StreamBuffer(int frameCapacity, int audioCapacity, MemoryBudget budget, InstantSource clock) {
        this.frames = new CircularBuffer<>(frameCapacity, Frame::size, this::changed);
        this.audio = new CircularBuffer<>(audioCapacity, AudioChunk::size, this::changed);
        this.clock = clock;
        this.budget = budget;
        budget.register(this);
    }

    /** Has {@code keeper} handed every frame stored from now on, and counted with this buffer. */
    void keep(FrameKeeper keeper) {
        this.keeper = keeper;
    }

    MemoryBudget budget() {
        return budget;
    }

    /** The frames the frame buffer holds now, oldest first. */
    List<Frame> frames() {
        return frames.toList();
    }

    /** Tells the listeners some news (of a ring kept beside this buffer), on the caller's thread. */
    void tell(Consumer<BufferListener> news) {
        for (BufferListener listener : listeners) {
            news.accept(listener);
        }
    }

    void changed(long bytes) {
        held.addAndGet(bytes);
        budget.changed(bytes);
    }

    /**
     * Bytes of the frames and chunks this buffer holds, and of the clips of the rings kept beside it, as its
     * {@link MemoryBudget} counts them.
     */
    public long heldBytes() {
        return held.get();
    }

    /**
     * Gives back the oldest of what this buffer holds: a doorbell ring but the newest, else a frame (never the
     * newest), else the newest ring, else an audio chunk (never the newest).
     *
     * @return whether anything was given back
     */
    boolean releaseOldest() {
        FrameKeeper keeper = this.keeper;
        return keeper.releaseOldest(false) || frames.dropOldest() || keeper.releaseOldest(true)
                || audio.dropOldest();
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
        keeper.onFrame(frame);
        budget.enforce();
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
        budget.enforce();
        for (BufferListener listener : listeners) {
            listener.onAudio(chunk);
        }
        return chunk;
    }

    public @Nullable Frame latestFrame() {
        return frames.newest();
    }

    @Override
    public @Nullable AudioChunk latestAudio() {
        return audio.newest();
    }

    @Override
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
