package dev.doorcast.buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import java.util.function.ToIntFunction;

import org.jspecify.annotations.Nullable;

/**
 * A fixed number of the most recent items, oldest overwritten first. The buffer numbers the items
 * itself, one higher each time, so an item is found by its sequence with one modulo. Thread-safe: every
 * method holds the buffer's lock only for a few array operations, never while doing I/O. It may report the
 * bytes it holds as they change, so that a {@link MemoryBudget} can count them.
 */
final class CircularBuffer<T extends Sequenced> {

    private final Object[] slots;
    private long oldestSequence = 1;
    private long newestSequence = 0;
    private long evictions = 0;
    private long bytes = 0;
    private volatile @Nullable T newest;
    private final ToIntFunction<? super T> size;
    private final LongConsumer bytesChanged;

    CircularBuffer(int capacity) {
        this(capacity, item -> 0, change -> { });
    }

    /**
     * @param size an item's size in bytes
     * @param bytesChanged told, under the buffer's lock, by how much the bytes held went up or down
     */
    CircularBuffer(int capacity, ToIntFunction<? super T> size, LongConsumer bytesChanged) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.slots = new Object[capacity];
        this.size = size;
        this.bytesChanged = bytesChanged;
    }

    /**
     * Numbers the next item and adds it, overwriting the oldest when full. The item is built under the
     * buffer's lock so that sequence order and buffer order are the same.
     */
    synchronized T append(LongFunction<T> make) {
        T item = make.apply(newestSequence + 1);
        int index = index(item.sequence());
        long change = size.applyAsInt(item);
        if (newestSequence - oldestSequence + 1 == slots.length) {
            change -= size.applyAsInt(get(oldestSequence));
            oldestSequence++;
            evictions++;
        }
        slots[index] = item;
        newestSequence = item.sequence();
        newest = item;
        account(change);
        return item;
    }

    /**
     * Lets go of the oldest item before the buffer would overwrite it, to give its memory back; the newest is
     * always kept. Counted as an eviction.
     *
     * @return whether there was an item to let go of
     */
    synchronized boolean dropOldest() {
        if (newestSequence - oldestSequence < 1) {
            return false;
        }
        int index = index(oldestSequence);
        long change = -size.applyAsInt(get(oldestSequence));
        slots[index] = null;
        oldestSequence++;
        evictions++;
        account(change);
        return true;
    }

    /** Bytes of the items held. */
    synchronized long bytes() {
        return bytes;
    }

    private void account(long change) {
        if (change != 0) {
            bytes += change;
            bytesChanged.accept(change);
        }
    }

    /** How many items were overwritten since the buffer was made. */
    synchronized long evictions() {
        return evictions;
    }

    /** How many items were added since the buffer was made. */
    synchronized long added() {
        return newestSequence;
    }

    /** The newest item, read without locking. */
    @Nullable T newest() {
        return newest;
    }

    /**
     * The oldest item held whose sequence is greater than {@code sequence}, or null when there is none
     * yet. When the item right after {@code sequence} was already overwritten, this is the oldest held.
     */
    synchronized @Nullable T after(long sequence) {
        long wanted = Math.max(sequence + 1, oldestSequence);
        return wanted > newestSequence ? null : get(wanted);
    }

    synchronized int size() {
        return (int) (newestSequence - oldestSequence + 1);
    }

    int capacity() {
        return slots.length;
    }

    /** The held items, oldest first. */
    synchronized List<T> toList() {
        List<T> items = new ArrayList<>(size());
        for (long s = oldestSequence; s <= newestSequence; s++) {
            items.add(get(s));
        }
        return items;
    }

    @SuppressWarnings("unchecked")
    private T get(long sequence) {
        return (T) slots[index(sequence)];
    }

    private int index(long sequence) {
        return (int) (sequence % slots.length);
    }
}
