package dev.doorcast.system;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many of something each key holds (streams per client or household, connections per address), each up
 * to a cap. Taking is atomic per key; a key that holds nothing is forgotten, so the map never holds more keys
 * than there are things held.
 */
public final class CappedCounts {

    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    /** Counts one more for {@code key} unless it holds {@code cap} already; whether it did. */
    public boolean take(String key, int cap) {
        boolean[] taken = {false};
        counts.compute(key, (k, count) -> {
            int now = count == null ? 0 : count;
            if (now >= cap) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    /** Gives back one of {@code key}'s, forgetting the key when it holds none. */
    public void give(String key) {
        counts.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
    }

    /** What {@code key} holds now. */
    public int of(String key) {
        return counts.getOrDefault(key, 0);
    }

    /** Keys holding at least one. */
    public int keys() {
        return counts.size();
    }
}
