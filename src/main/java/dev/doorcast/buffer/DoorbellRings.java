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
 * A device's doorbell presses: its last few rings, newest first, and the clips of those still recording, kept
 * beside the device's {@link StreamBuffer}, whose frames the clips take (the same arrays, never copied) and
 * whose listeners are told of each ring. Memory is bounded: {@code keep} rings of at most
 * {@code maxClipFrames} frames each, and with the buffer's and other devices' by the buffer's
 * {@link MemoryBudget}, which may have the oldest forgotten sooner.
 */
public final class DoorbellRings {

    private final StreamBuffer buffer;
    private final RingSettings settings;
    private final InstantSource clock;
    private final Deque<DoorbellRing> rings = new ArrayDeque<>();
    private final List<DoorbellRing> recording = new ArrayList<>();
    private final LongConsumer bytesChanged;
    private final Runnable released;
    private long lastId;
    private long taken;

    /** The rings of {@code buffer}'s device, which from now on hands them each frame it stores. */
    public DoorbellRings(StreamBuffer buffer, RingSettings settings, InstantSource clock) {
        this.buffer = buffer;
        this.settings = settings;
        this.clock = clock;
        this.bytesChanged = buffer::changed;
        this.released = buffer.budget()::clipReleased;
        buffer.keep(new StreamBuffer.FrameKeeper() {
            @Override
            public void onFrame(Frame frame) {
                DoorbellRings.this.onFrame(frame);
            }

            @Override
            public boolean releaseOldest(boolean evenTheNewest) {
                return DoorbellRings.this.releaseOldest(evenTheNewest);
            }
        });
    }

    /** The rings of {@code buffer}'s device, as {@link RingSettings#DEFAULTS} keeps them. */
    public DoorbellRings(StreamBuffer buffer, InstantSource clock) {
        this(buffer, RingSettings.DEFAULTS, clock);
    }

    /**
     * Someone rang the doorbell here: keeps the ring, with the picture of who rang and the clip around it,
     * and tells the buffer's listeners.
     *
     * @param deviceTimestamp the {@code timestamp} the device sent, kept as information only
     */
    public DoorbellRing ring(@Nullable Long deviceTimestamp) {
        DoorbellRing ring = add(null, clock.millis(), deviceTimestamp, buffer.frames());
        buffer.budget().enforce();
        buffer.tell(listener -> listener.onRing(ring));
        return ring;
    }

    /**
     * Someone rang the doorbell through another instance: keeps the ring under that instance's number and
     * time, with this device's own frames for its picture and clip, and tells the buffer's listeners. A ring
     * already kept is not kept or told twice.
     */
    public DoorbellRing addRing(long id, long time) {
        DoorbellRing known = get(id);
        if (known != null) {
            return known;
        }
        DoorbellRing ring = add(id, time, null, buffer.frames());
        buffer.budget().enforce();
        buffer.tell(listener -> listener.onRing(ring));
        return ring;
    }

    /**
     * Someone deleted a ring: forgets it, its picture and clip, and tells the buffer's listeners (the relay
     * tells the other instances, which forget it through {@link #forget}).
     *
     * @return the ring, or null when none is kept under {@code id}
     */
    public @Nullable DoorbellRing delete(long id) {
        DoorbellRing ring = remove(id);
        if (ring != null) {
            buffer.tell(listener -> listener.onRingDeleted(ring));
        }
        return ring;
    }

    /** Forgets the ring kept under {@code id}, telling no one: it was deleted elsewhere, or has expired. */
    public void forget(long id) {
        remove(id);
    }

    /** Forgets the rings that arrived before {@code time}, epoch ms, telling no one: they have expired. */
    public void forgetBefore(long time) {
        removeBefore(time);
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
    private synchronized DoorbellRing add(@Nullable Long id, long time, @Nullable Long deviceTimestamp, List<Frame> held) {
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
    private synchronized void onFrame(Frame frame) {
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
    private synchronized boolean releaseOldest(boolean evenTheNewest) {
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
    private synchronized @Nullable DoorbellRing remove(long id) {
        DoorbellRing ring = get(id);
        if (ring != null) {
            rings.remove(ring);
            recording.remove(ring);
            ring.delete();
        }
        return ring;
    }

    private synchronized void removeBefore(long time) {
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
    public synchronized List<DoorbellRing> list() {
        return List.copyOf(rings);
    }

    /** The ring kept under {@code id}, or null when there is none (any more). */
    public synchronized @Nullable DoorbellRing get(long id) {
        for (DoorbellRing ring : rings) {
            if (ring.id() == id) {
                return ring;
            }
        }
        return null;
    }

    /** Rings kept since start, posted here or relayed from other instances. */
    public synchronized long taken() {
        return taken;
    }
}
