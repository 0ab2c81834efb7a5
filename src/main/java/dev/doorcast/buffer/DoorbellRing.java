package dev.doorcast.buffer;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Someone rang the doorbell: when, the picture of who rang, and a short clip around it. The clip takes
 * the frames the frame ring held from a little before the ring, then each frame that arrives for a little
 * after it, up to a fixed number; the frames are the buffer's own arrays, shared, never copied.
 *
 * <p>Thread-safe: the device's thread adds frames while viewers read the clip; a reader of a clip still
 * being recorded can wait for its next frame. A ring forgotten (the oldest past {@code keep}, or given back
 * to the {@link MemoryBudget}) lets go of its picture and clip: a reader still waiting finds the clip ended.
 */
public final class DoorbellRing {

    private final long id;
    private final long time;
    private final boolean relayed;
    private final @Nullable Long deviceTimestamp;
    private final long recordUntil;
    private final int maxFrames;
    private final InstantSource clock;
    private final List<Frame> clip;
    private final LongConsumer bytesChanged;
    private @Nullable Frame snapshot;
    private boolean recording = true;
    private boolean deleted;
    private long bytes;

    /**
     * @param relayed whether another instance took the ring from the doorbell and relayed it here
     * @param bytesChanged told of the bytes of each frame the clip takes, and of all of them when forgotten
     */
    DoorbellRing(long id, long time, boolean relayed, @Nullable Long deviceTimestamp, long recordUntil, int maxFrames,
            List<Frame> before, @Nullable Frame snapshot, InstantSource clock, LongConsumer bytesChanged) {
        this.id = id;
        this.time = time;
        this.relayed = relayed;
        this.deviceTimestamp = deviceTimestamp;
        this.recordUntil = recordUntil;
        this.maxFrames = maxFrames;
        this.clock = clock;
        this.clip = new ArrayList<>(before);
        this.snapshot = snapshot;
        this.bytesChanged = bytesChanged;
        for (Frame frame : before) {
            bytes += frame.size();
        }
        // The picture is always one of the clip's frames, so the clip's bytes are all the ring holds.
        bytesChanged.accept(bytes);
    }

    /** The ring's number: unique for its device, growing with time, the same on every instance. */
    public long id() {
        return id;
    }

    /** Server time the ring arrived, epoch ms. */
    public long time() {
        return time;
    }

    /**
     * Whether the ring came from another instance (through the relay) rather than from the doorbell itself:
     * what should happen once per ring, whichever instance took it, is done where it is false.
     */
    public boolean relayed() {
        return relayed;
    }

    /** The {@code timestamp} the device sent with it (its own clock), kept as information only. */
    public @Nullable Long deviceTimestamp() {
        return deviceTimestamp;
    }

    /** Server time, epoch ms, at which the clip stops taking frames: it is final from then on. */
    public long recordsUntil() {
        return recordUntil;
    }

    /**
     * The picture of who rang: the newest frame when the ring arrived if it was recent, else the first frame
     * that came after (a doorbell that the button woke sends its ring before its first frame); null while
     * there is none.
     */
    public synchronized @Nullable Frame snapshot() {
        return snapshot;
    }

    /** The clip's frames so far, oldest first. */
    public synchronized List<Frame> clip() {
        return List.copyOf(clip);
    }

    /** Whether frames may still join the clip. */
    public synchronized boolean recording() {
        return recording && clock.millis() < recordUntil;
    }

    /**
     * The clip's frame at {@code index}, waiting for it while the clip is still being recorded; null once it
     * is clear there will be none.
     */
    public synchronized @Nullable Frame awaitFrame(int index) throws InterruptedException {
        while (index >= clip.size() && recording()) {
            wait(Math.max(1, recordUntil - clock.millis()));
        }
        return index < clip.size() ? clip.get(index) : null;
    }

    /** The snapshot, waiting for the first frame if the ring came before any and is still recording. */
    public synchronized @Nullable Frame awaitSnapshot() throws InterruptedException {
        while (snapshot == null && recording()) {
            wait(Math.max(1, recordUntil - clock.millis()));
        }
        return snapshot;
    }

    /** Offers a frame that just arrived; false once this ring takes no more, so that it can stop being asked. */
    synchronized boolean offer(Frame frame) {
        if (!recording) {
            return false;
        }
        if (frame.receivedAt() >= recordUntil) {
            recording = false;
        } else if (clip.isEmpty() || frame.sequence() > clip.getLast().sequence()) {
            // A frame stored while the ring was being kept can be both among those held and offered.
            clip.add(frame);
            bytes += frame.size();
            bytesChanged.accept(frame.size());
            if (snapshot == null) {
                snapshot = frame;
            }
            recording = clip.size() < maxFrames;
        }
        notifyAll();
        return recording;
    }

    /** The bytes of the clip's frames (the picture is one of them). */
    synchronized long bytes() {
        return bytes;
    }

    /**
     * Whether someone deleted this ring (here, or on another instance that relayed it), rather than memory
     * letting go of it: what is still to be done for it (writing its clip to the store) is not done.
     */
    public synchronized boolean deleted() {
        return deleted;
    }

    /** Forgets it as {@link #forget()} does, for good: it was deleted. */
    synchronized void delete() {
        deleted = true;
        forget();
    }

    /** Lets go of the picture and the clip and takes no more frames; readers waiting for one are woken. */
    synchronized void forget() {
        recording = false;
        clip.clear();
        snapshot = null;
        bytesChanged.accept(-bytes);
        bytes = 0;
        notifyAll();
    }
}
