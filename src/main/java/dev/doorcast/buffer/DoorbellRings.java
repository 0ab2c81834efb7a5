package dev.doorcast.buffer;

import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

/**
 * A device's last few doorbell rings, newest first, and the clips of those still recording. Memory is
 * bounded: {@code keep} rings of at most {@code maxClipFrames} frames each, and with other devices' by the
 * {@link MemoryBudget}, which may have the oldest forgotten sooner.
 */
final class DoorbellRings {

    private final RingSettings settings;
    private final InstantSource clock;
    private final Deque<DoorbellRing> rings = new ArrayDeque<>();
    private final List<DoorbellRing> recording = new ArrayList<>();
    private final LongConsumer bytesChanged;
    private final Runnable released;
    private long lastId;
    private long taken;

    /**
     * @param bytesChanged told of the bytes the clips take and give back
     * @param released told of each ring forgotten through {@link #releaseOldest(boolean)}
     */
    DoorbellRings(RingSettings settings, InstantSource clock, LongConsumer bytesChanged, Runnable released) {
        this.settings = settings;
        this.clock = clock;
        this.bytesChanged = bytesChanged;
        this.released = released;
    }

    /**
     * Keeps a new ring. {@code id} is null for a ring the device posted here, which gets the next number:
     * the arrival time in ms, or one more than the last if that is not higher, so that numbers grow and
     * differ across restarts and instances. A ring from another instance keeps its number; one already
     * kept is not kept twice.
     *
     * @param held the frames the frame ring holds now, oldest first
     * @return the ring, or the one already kept under that number
     */
    synchronized DoorbellRing add(@Nullable Long id, long time, @Nullable Long deviceTimestamp, List<Frame> held) {
        DoorbellRing known = id == null ? null : get(id);
        if (known != null) {
            return known;
        }
        long now = clock.millis();
        long number = id != null ? id : Math.max(now, lastId + 1);
        lastId = Math.max(lastId, number);
        long from = now - settings.clipBefore().toMillis();
        List<Frame> before = new ArrayList<>();
        for (Frame frame : held) {
            if (frame.receivedAt() >= from) {
                before.add(frame);
            }
        }
        // Half the clip at most for what came before; the rest is for who is at the door now.
        int room = settings.maxClipFrames() / 2;
        if (before.size() > room) {
            before = before.subList(before.size() - room, before.size());
        }
        Frame snapshot = before.isEmpty() ? null : before.getLast();
        boolean relayed = id != null;
        DoorbellRing ring = new DoorbellRing(number, time, relayed, deviceTimestamp,
                now + settings.clipAfter().toMillis(), settings.maxClipFrames(), before, snapshot, clock, bytesChanged);
        rings.addFirst(ring);
        while (rings.size() > settings.keep()) {
            forgetOldest();
        }
        recording.add(ring);
        taken++;
        return ring;
    }

    /** Hands a frame that just arrived to the clips still recording. */
    synchronized void onFrame(Frame frame) {
        if (!recording.isEmpty()) {
            recording.removeIf(ring -> !ring.offer(frame));
        }
    }

    /**
     * Forgets the oldest ring that holds any frame, to give its memory back.
     *
     * @param evenTheNewest whether the newest ring (who is at the door now) may go too
     * @return whether there was one
     */
    synchronized boolean releaseOldest(boolean evenTheNewest) {
        Iterator<DoorbellRing> oldestFirst = rings.descendingIterator();
        while (oldestFirst.hasNext()) {
            DoorbellRing ring = oldestFirst.next();
            if (ring == rings.peekFirst() && !evenTheNewest) {
                return false;
            }
            if (ring.bytes() > 0) {
                oldestFirst.remove();
                recording.remove(ring);
                ring.forget();
                released.run();
                return true;
            }
        }
        return false;
    }

    private void forgetOldest() {
        DoorbellRing forgotten = rings.removeLast();
        recording.remove(forgotten);
        forgotten.forget();
    }

    /**
     * Forgets the ring kept under {@code id} for good: it is no longer listed, its picture and clip are let
     * go, and it says it was {@link DoorbellRing#deleted()}.
     *
     * @return the ring, or null when none was kept under that number
     */
    synchronized @Nullable DoorbellRing remove(long id) {
        DoorbellRing ring = get(id);
        if (ring != null) {
            rings.remove(ring);
            recording.remove(ring);
            ring.delete();
        }
        return ring;
    }

    /** Forgets the rings that arrived before {@code time}, epoch ms. */
    synchronized void removeBefore(long time) {
        rings.removeIf(ring -> {
            if (ring.time() >= time) {
                return false;
            }
            recording.remove(ring);
            ring.forget();
            return true;
        });
    }

    /** The rings kept, newest first. */
    synchronized List<DoorbellRing> list() {
        return List.copyOf(rings);
    }

    synchronized @Nullable DoorbellRing get(long id) {
        for (DoorbellRing ring : rings) {
            if (ring.id() == id) {
                return ring;
            }
        }
        return null;
    }

    /** Rings kept since start, this instance's and those relayed from others. */
    synchronized long taken() {
        return taken;
    }
}
