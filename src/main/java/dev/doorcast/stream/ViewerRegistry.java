package dev.doorcast.stream;

import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

import dev.doorcast.buffer.Audience;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.StreamClaim;

/**
 * The viewers and listeners connected right now, and the totals of what they had to skip. Joining past
 * the limit fails fast, so that one surge cannot degrade everyone already watching.
 */
public final class ViewerRegistry implements Audience {

    private static final long RETRY_AFTER_SECONDS = 5;

    private final Map<Viewer.Kind, Set<Viewer>> byKind = new EnumMap<>(Viewer.Kind.class);
    private final StreamQuota quota;
    private final LongAdder framesSkipped = new LongAdder();
    private final LongAdder audioChunksSkipped = new LongAdder();
    private final LongAdder stalled = new LongAdder();
    private final InstantSource clock;
    private volatile boolean closed;
    private volatile LongConsumer deliveryAges = age -> { };

    /** A registry whose viewers count, with those of other registries sharing {@code quota}, against its limits. */
    public ViewerRegistry(StreamQuota quota, InstantSource clock) {
        this.quota = quota;
        this.clock = clock;
        for (Viewer.Kind kind : Viewer.Kind.values()) {
            byKind.put(kind, ConcurrentHashMap.newKeySet());
        }
    }

    /**
     * Admits a new viewer, whose stream ends by {@link StreamClaim#endsAt()} at the latest.
     *
     * @throws ApiException 503 with Retry-After when a limit is reached or the server is shutting down
     */
    public Viewer join(Viewer.Kind kind, StreamClaim claim) {
        if (closed) {
            throw ApiException.unavailable("Shutting down", "This server is shutting down; try again shortly",
                    RETRY_AFTER_SECONDS);
        }
        Viewer viewer = new Viewer(kind, clock.millis(), claim.endsAt(), quota.admit(claim));
        viewers(kind).add(viewer);
        return viewer;
    }

    /**
     * A viewer whose writer already runs and is no stream of its own, such as the doorbell's link: joins as
     * {@link #join} does, bound to {@code writer} and started, so that {@link #wakeAll} reaches it.
     *
     * @throws ApiException 503 while shutting down or past the limits
     */
    public Viewer joinWriting(Viewer.Kind kind, StreamClaim claim, Thread writer) {
        Viewer viewer = join(kind, claim);
        viewer.attach(writer);
        viewer.started();
        return viewer;
    }

    /** Removes a viewer whose stream ended; safe to call twice. */
    public void leave(Viewer viewer) {
        viewers(viewer.kind()).remove(viewer);
        viewer.lease().release();
    }

    public int count(Viewer.Kind kind) {
        return viewers(kind).size();
    }

    @Override
    public int viewers() {
        return count(Viewer.Kind.VIDEO);
    }

    @Override
    public int listeners() {
        return count(Viewer.Kind.AUDIO);
    }

    @Override
    public int eventStreams() {
        return count(Viewer.Kind.EVENTS);
    }

    public Set<Viewer> viewers(Viewer.Kind kind) {
        return byKind.get(kind);
    }

    /** Wakes every writer of that kind to look for new data. */
    public void wakeAll(Viewer.Kind kind) {
        for (Viewer viewer : viewers(kind)) {
            viewer.wake();
        }
    }

    /** Where each delivered frame's age (ms from its arrival to its write to a viewer) is reported. */
    public void onDelivery(LongConsumer sink) {
        deliveryAges = sink;
    }

    void delivered(long ageMillis) {
        deliveryAges.accept(ageMillis);
    }

    void skipped(Viewer viewer, long count) {
        viewer.skip(count);
        (viewer.kind() == Viewer.Kind.VIDEO ? framesSkipped : audioChunksSkipped).add(count);
    }

    /**
     * Ends nothing by itself: counts a viewer whose writer gave up because a write to it made no progress for
     * the connection timeout. Its stream then ends like any other, through {@link #leave}.
     */
    void stalled(Viewer viewer) {
        stalled.increment();
    }

    /**
     * Viewers and listeners dropped since start because their connection took no bytes for the connection
     * timeout (a frozen app, a dead network that never said so).
     */
    public long viewersStalled() {
        return stalled.sum();
    }

    /** Frames that camera viewers, all together, never got because they were slower than the device. */
    public long framesSkipped() {
        return framesSkipped.sum();
    }

    /** Audio chunks that listeners, all together, never got because they fell behind. */
    public long audioChunksSkipped() {
        return audioChunksSkipped.sum();
    }

    /** Whether the server is shutting down; writers end their streams when it is. */
    public boolean isClosed() {
        return closed;
    }

    /** Takes viewers again after {@link #close()} (a stopped application context that is started again). */
    public void open() {
        closed = false;
    }

    /** Ends every stream: writers see {@link #isClosed()} when woken and return. */
    public void close() {
        closed = true;
        for (Viewer.Kind kind : Viewer.Kind.values()) {
            wakeAll(kind);
        }
    }
}
