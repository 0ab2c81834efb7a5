package dev.doorcast.buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

import org.jspecify.annotations.Nullable;

/**
 * A fixed-size ring of the most recent items, oldest overwritten first. The ring numbers the items
 * itself, one higher each time, so an item is found by its sequence with one modulo. Thread-safe: every
 * method holds the ring's lock only for a few array operations, never while doing I/O.
 */
final class Ring<T extends Sequenced> {

    private final Object[] slots;
    private long oldestSequence = 1;
    private long newestSequence = 0;
    private long evictions = 0;
    private volatile @Nullable T newest;

    Ring(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.slots = new Object[capacity];
    }

    /**
     * Numbers the next item and adds it, overwriting the oldest when full. The item is built under the
     * ring's lock so that sequence order and ring order are the same.
     */
    synchronized T append(LongFunction<T> make) {
        T item = make.apply(newestSequence + 1);
        slots[index(item.sequence())] = item;
        newestSequence = item.sequence();
        newest = item;
        if (newestSequence - oldestSequence + 1 > slots.length) {
            oldestSequence++;
            evictions++;
        }
        return item;
    }

    /** How many items were overwritten since the ring was made. */
    synchronized long evictions() {
        return evictions;
    }

    /** How many items were added since the ring was made. */
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
