package dev.doorcast.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.DoorbellRing;
import dev.doorcast.buffer.Frame;
import dev.doorcast.system.ApiException;
import org.jspecify.annotations.Nullable;

/**
 * A device's rings as viewers see them: the buffer's last few (which may still be recording) in front of
 * the store's, which outlive a restart and the buffer's {@code keep}. What the store cannot answer
 * (it is down) is counted; the list then holds what memory holds.
 */
public final class RingHistory {

    /** The most rings one list gives: a month of a busy door is more than a page shows. */
    public static final int LIST_LIMIT = 100;

    private final RingStore store;
    private final RingWriter writer;
    private final DeviceStreams streams;

    RingHistory(RingStore store, RingWriter writer, DeviceStreams streams) {
        this.store = store;
        this.writer = writer;
        this.streams = streams;
    }

    /** The device's rings, newest first: those in memory and those stored, each once. */
    public List<StoredRing> list(String device) {
        Map<Long, StoredRing> rings = new LinkedHashMap<>();
        for (DoorbellRing ring : streams.rings(device).list()) {
            rings.put(ring.id(), new StoredRing(ring.id(), ring.time(), ring.snapshot() != null || ring.recording()));
        }
        try {
            for (StoredRing stored : store.list(device, LIST_LIMIT)) {
                rings.merge(stored.id(), stored, (memory, kept) -> memory.picture() ? memory : kept);
            }
        } catch (RuntimeException e) {
            writer.readFailed(e);
        }
        List<StoredRing> newestFirst = new ArrayList<>(rings.values());
        newestFirst.sort(Comparator.comparingLong(StoredRing::time).thenComparingLong(StoredRing::id).reversed());
        return newestFirst.subList(0, Math.min(LIST_LIMIT, newestFirst.size()));
    }

    /**
     * The stored picture of a ring the buffer no longer has.
     *
     * @return null when the store has no picture of it
     * @throws ApiException 503 when the store does not answer
     */
    public @Nullable Frame storedSnapshot(String device, long id) {
        try {
            return store.snapshot(device, id);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /**
     * How many frames the stored clip of a ring has, without reading them.
     *
     * @return null when the store has no such ring
     * @throws ApiException 503 when the store does not answer
     */
    public @Nullable Integer storedClipFrames(String device, long id) {
        try {
            return store.clipFrames(device, id);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /**
     * The stored clip of a ring the buffer no longer has, oldest frame first; empty when there is none.
     *
     * @throws ApiException 503 when the store does not answer
     */
    public List<Frame> storedClip(String device, long id) {
        try {
            return store.clip(device, id);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /**
     * Deletes a ring, its picture and clip: from the buffer (and through the relay from other instances'
     * buffers) and from the store.
     *
     * @throws ApiException 404 when neither holds it; 503 when the store does not answer
     */
    public void delete(String device, long id) {
        boolean inMemory = streams.rings(device).delete(id) != null;
        boolean stored;
        try {
            stored = writer.delete(device, id);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        if (!inMemory && !stored) {
            throw ApiException.notFound("No such ring", "No ring " + id + " of '" + device + "' is kept");
        }
    }

    private ApiException unavailable(RuntimeException e) {
        writer.readFailed(e);
        return ApiException.unavailable("Store unavailable", "The rings' store does not answer; try again later", 5);
    }
}
