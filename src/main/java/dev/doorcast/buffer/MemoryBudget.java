package dev.doorcast.buffer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One bound on what every device's buffer holds together: the frames and audio chunks of its circular buffers and the
 * clips of its doorbell rings, counted in their bytes as the devices sent them. Each device's own limits
 * (ring sizes, the largest frame, how many rings are kept) bound what one device can hold, but not what
 * several can: two doorbells at their limits would hold far more than a small heap. Past the budget, the
 * device holding the most gives back its oldest first: a doorbell ring with its picture and clip (its
 * newest ring last, after the older frames of its frame buffer; never its newest frame), then an audio chunk;
 * so one device filling the budget costs the others nothing while it holds more than they do.
 *
 * <p>A frame that is both in the frame buffer and in a clip, or in two clips, is counted each time: the count
 * is never lower than the memory, at the cost of giving back a little early.
 *
 * <p>Thread-safe. Buffers add and remove their bytes as they change, under their own locks, without waiting
 * for anything; giving back runs afterwards, on the device's thread, with no buffer's lock held.
 */
public final class MemoryBudget {

    private final long limit;
    private final AtomicLong held = new AtomicLong();
    private final LongAdder clipsReleased = new LongAdder();
    private final List<StreamBuffer> buffers = new CopyOnWriteArrayList<>();

    /** @param limit bytes all buffers together may hold; a device's newest frame and chunk are kept past it */
    public MemoryBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a memory budget must be at least 1 byte, was " + limit);
        }
        this.limit = limit;
    }

    /** A budget no buffer reaches: each buffer is bounded by its own limits alone. */
    public static MemoryBudget unbounded() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    /** The budget, bytes. */
    public long limit() {
        return limit;
    }

    /** What all buffers hold now, bytes. */
    public long held() {
        return held.get();
    }

    /** Doorbell rings forgotten, clip and picture, to stay within the budget, since start. */
    public long clipsReleased() {
        return clipsReleased.sum();
    }

    void register(StreamBuffer buffer) {
        buffers.add(buffer);
    }

    void changed(long bytes) {
        held.addAndGet(bytes);
    }

    void clipReleased() {
        clipsReleased.increment();
    }

    /**
     * Gives back memory, the largest holder's oldest first, until all buffers are within the budget or hold
     * nothing more that can go. Call it with no buffer's lock held.
     */
    void enforce() {
        if (held.get() <= limit) {
            return;
        }
        synchronized (this) {
            while (held.get() > limit && releaseOne()) {
                // One item at a time: after each, the largest holder may be another device.
            }
        }
    }

    private boolean releaseOne() {
        // What each holds, read once: the figures move while devices post.
        List<Holder> largestFirst = new ArrayList<>();
        for (StreamBuffer buffer : buffers) {
            largestFirst.add(new Holder(buffer, buffer.heldBytes()));
        }
        largestFirst.sort(Comparator.comparingLong(Holder::bytes).reversed());
        for (Holder holder : largestFirst) {
            if (holder.buffer().releaseOldest()) {
                return true;
            }
        }
        return false;
    }

    private record Holder(StreamBuffer buffer, long bytes) {
    }
}
