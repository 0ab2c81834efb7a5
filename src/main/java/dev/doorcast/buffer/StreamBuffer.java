package dev.doorcast.buffer;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * The doorbell's recent past: a circular buffer of the latest camera frames and one of the latest audio chunks.
 * Memory is bounded by the two capacities however long it runs, and with other devices' buffers by one
 * {@link MemoryBudget}. Device requests add to it; viewers read the newest item or walk forward by sequence;
 * listeners are told of each new item.
 */
public final class StreamBuffer implements AudioSource {

    private final CircularBuffer<Frame> frames;
    private final CircularBuffer<AudioChunk> audio;
    private final InstantSource clock;
    private final LongAdder bytesReceived = new LongAdder();
    private final List<BufferListener> listeners = new CopyOnWriteArrayList<>();
    private final DoorbellRings rings;
    private final MemoryBudget budget;
    private final AtomicLong held = new AtomicLong();

    public StreamBuffer(int frameCapacity, int audioCapacity, InstantSource clock) {
        this(frameCapacity, audioCapacity, RingSettings.DEFAULTS, clock);
    }

    public StreamBuffer(int frameCapacity, int audioCapacity, RingSettings ringSettings, InstantSource clock) {
        this(frameCapacity, audioCapacity, ringSettings, MemoryBudget.unbounded(), clock);
    }

    /** A buffer whose frames, chunks and clips count, with those of every buffer sharing {@code budget}, against it. */
    public StreamBuffer(int frameCapacity, int audioCapacity, RingSettings ringSettings, MemoryBudget budget,
            InstantSource clock) {
        this.frames = new CircularBuffer<>(frameCapacity, Frame::size, this::changed);
        this.audio = new CircularBuffer<>(audioCapacity, AudioChunk::size, this::changed);
        this.rings = new DoorbellRings(ringSettings, clock, this::changed, budget::clipReleased);
        this.clock = clock;
        this.budget = budget;
        budget.register(this);
    }

    private void changed(long bytes) {
        held.addAndGet(bytes);
        budget.changed(bytes);
    }

    /** Bytes of the frames, chunks and clips this buffer holds, as its {@link MemoryBudget} counts them. */
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
        return rings.releaseOldest(false) || frames.dropOldest() || rings.releaseOldest(true)
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
        rings.onFrame(frame);
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

    /**
     * Someone rang the doorbell here: keeps the ring, with the picture of who rang and the clip around it,
     * and tells the listeners.
     *
     * @param deviceTimestamp the {@code timestamp} the device sent, kept as information only
     */
    public DoorbellRing ring(@Nullable Long deviceTimestamp) {
        DoorbellRing ring = rings.add(null, clock.millis(), deviceTimestamp, frames.toList());
        budget.enforce();
        for (BufferListener listener : listeners) {
            listener.onRing(ring);
        }
        return ring;
    }

    /**
     * Someone rang the doorbell through another instance: keeps the ring under that instance's number and
     * time, with this buffer's own frames for its picture and clip, and tells the listeners. A ring already
     * kept is not kept or told twice.
     */
    public DoorbellRing addRing(long id, long time) {
        DoorbellRing known = rings.get(id);
        if (known != null) {
            return known;
        }
        DoorbellRing ring = rings.add(id, time, null, frames.toList());
        budget.enforce();
        for (BufferListener listener : listeners) {
            listener.onRing(ring);
        }
        return ring;
    }

    /**
     * Someone deleted a ring: forgets it, its picture and clip, and tells the listeners (the relay tells the
     * other instances, which forget it through {@link #forgetRing}).
     *
     * @return the ring, or null when none is kept under {@code id}
     */
    public @Nullable DoorbellRing deleteRing(long id) {
        DoorbellRing ring = rings.remove(id);
        if (ring != null) {
            for (BufferListener listener : listeners) {
                listener.onRingDeleted(ring);
            }
        }
        return ring;
    }

    /** Forgets the ring kept under {@code id}, telling no one: it was deleted elsewhere, or has expired. */
    public void forgetRing(long id) {
        rings.remove(id);
    }

    /** Forgets the rings that arrived before {@code time}, epoch ms, telling no one: they have expired. */
    public void forgetRingsBefore(long time) {
        rings.removeBefore(time);
    }

    /** The rings kept, newest first. */
    public List<DoorbellRing> rings() {
        return rings.list();
    }

    /** The ring kept under {@code id}, or null when there is none (any more). */
    public @Nullable DoorbellRing findRing(long id) {
        return rings.get(id);
    }

    /** Rings kept since start, posted here or relayed from other instances. */
    public long ringsReceived() {
        return rings.taken();
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
