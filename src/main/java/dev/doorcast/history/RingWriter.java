package dev.doorcast.history;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.DoorbellRing;
import dev.doorcast.buffer.Frame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Writes the rings taken here to the store on one thread of its own: a ring's row (and its picture, when
 * there is one yet) at once, its clip once the clip is final, then a retention sweep. The device's request
 * only hands the ring over: at most {@link #MAX_PENDING} rings wait to be written, and a ring past that,
 * like a write that fails, is counted ({@code doorcast.rings.store.failures}) and stays what it was before
 * there was a store: in memory among the last few, announced to every listener.
 */
final class RingWriter implements SmartLifecycle {

    /** Rings waiting for their clip to be final: 3 s each by default, so only a storm of rings fills it. */
    static final int MAX_PENDING = 64;
    /** How long after a clip stops recording it is written: a frame stamped just before may still join. */
    private static final long SETTLE_MILLIS = 500;

    private static final Logger log = LoggerFactory.getLogger(RingWriter.class);

    private final RingStore store;
    private final DeviceStreams streams;
    private final InstantSource clock;
    private final Duration keepFor;
    private final long maxBytes;
    private final DelayQueue<Job> queue = new DelayQueue<>();
    /** The rings taken here whose clip is not written yet; a ring deleted meanwhile leaves it, and is not. */
    private final Map<RingKey, DoorbellRing> pending = new ConcurrentHashMap<>();
    /** The picture of a ring that came before any frame, caught when it arrived, in case memory lets go of it. */
    private final Map<RingKey, Frame> latePictures = new ConcurrentHashMap<>();
    private final AtomicBoolean sweepQueued = new AtomicBoolean();
    /** Held while a ring is written or deleted, so that a delete cannot come between a write's check and it. */
    private final Object writing = new Object();
    private final MeterRegistry registry;
    private final Counter written;
    private volatile @Nullable String failure;
    private volatile @Nullable Thread thread;

    RingWriter(RingStore store, DeviceStreams streams, InstantSource clock, Duration keepFor, long maxBytes,
            MeterRegistry registry) {
        this.store = store;
        this.streams = streams;
        this.clock = clock;
        this.keepFor = keepFor;
        this.maxBytes = maxBytes;
        this.registry = registry;
        this.written = Counter.builder("doorcast.rings.stored").description("Rings written to the store, with their clips")
                .register(registry);
        // Each operation's counter exists from the start, so that a scrape shows 0 rather than nothing.
        for (String operation : List.of("write", "queue", "read", "delete", "sweep")) {
            failures(operation);
        }
    }

    private Counter failures(String operation) {
        return Counter.builder("doorcast.rings.store.failures")
                .description("Store operations on rings that failed; a ring whose write failed stays in memory only")
                .tag("operation", operation).register(registry);
    }

    /** A ring the device rang here: its row now, its clip once final. Returns at once. */
    void taken(String device, DoorbellRing ring) {
        RingKey key = new RingKey(device, ring.id());
        if (pending.size() >= MAX_PENDING) {
            failed("queue", "more than " + MAX_PENDING + " rings wait to be written; ring " + ring.id() + " is not");
            return;
        }
        pending.put(key, ring);
        queue.add(Job.now(Job.Kind.ROW, key));
        if (ring.snapshot() == null) {
            // The doorbell rang before its first frame: the picture is the next frame, which the memory budget
            // may take back before the clip is written; catch it as it comes (one short wait per pending ring).
            Thread.ofVirtual().name("ring-picture-" + ring.id()).start(() -> {
                try {
                    Frame picture = ring.awaitSnapshot();
                    // Under the writing lock: a clip written or a ring deleted meanwhile has left pending for good.
                    synchronized (writing) {
                        if (picture != null && pending.containsKey(key)) {
                            latePictures.put(key, picture);
                            queue.add(Job.now(Job.Kind.ROW, key));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        queue.add(Job.in(ring.recordsUntil() + SETTLE_MILLIS - clock.millis(), Job.Kind.CLIP, key));
    }

    /** Asks for a retention sweep on the writer's thread, unless one is waiting already. */
    void sweepSoon() {
        if (sweepQueued.compareAndSet(false, true)) {
            queue.add(Job.now(Job.Kind.SWEEP, null));
        }
    }

    /**
     * Deletes a ring from the store, and any write of it still to come.
     *
     * @return whether the store held it
     * @throws RuntimeException when the store fails (counted)
     */
    boolean delete(String device, long id) {
        synchronized (writing) {
            pending.remove(new RingKey(device, id));
            latePictures.remove(new RingKey(device, id));
            try {
                boolean deleted = store.delete(device, id);
                succeeded();
                return deleted;
            } catch (RuntimeException e) {
                failed("delete", e.toString());
                throw e;
            }
        }
    }

    /** A store read failed: counted, and the store shown down until something succeeds again. */
    void readFailed(RuntimeException e) {
        failed("read", e.toString());
    }

    /** Why the last store operation failed, or null when it succeeded (or none ran yet). */
    @Nullable String failure() {
        return failure;
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            RingKey key = job.key();
            switch (job.kind()) {
                case STOP -> {
                    return;
                }
                case SWEEP -> {
                    sweepQueued.set(false);
                    sweep();
                }
                case ROW -> write(Objects.requireNonNull(key), false);
                case CLIP -> {
                    write(Objects.requireNonNull(key), true);
                    sweepSoon();
                }
            }
        }
    }

    private void write(RingKey key, boolean clip) {
        synchronized (writing) {
            DoorbellRing ring = clip ? pending.remove(key) : pending.get(key);
            // Deleted meanwhile, here (it left pending then) or on another instance through the relay.
            if (ring == null || ring.deleted()) {
                latePictures.remove(key);
                return;
            }
            List<Frame> frames = clip ? ring.clip() : null;
            Frame snapshot = ring.snapshot();
            Frame late = clip ? latePictures.remove(key) : latePictures.get(key);
            try {
                // A clip the memory budget took back before it was written is not stored empty over nothing.
                store.write(new RingStore.Written(key.device(), ring.id(), ring.time(), ring.deviceTimestamp(),
                        snapshot != null ? snapshot : late, frames == null || frames.isEmpty() ? null : frames));
                if (clip) {
                    written.increment();
                }
                succeeded();
            } catch (RuntimeException e) {
                failed("write", "ring " + ring.id() + ": " + e);
            }
        }
    }

    /** Forgets what has expired, in memory and in the store, and what the store has no room for. */
    void sweep() {
        long before = clock.millis() - keepFor.toMillis();
        for (String device : streams.devices()) {
            streams.rings(device).forgetBefore(before);
        }
        try {
            for (RingKey gone : store.sweep(before, maxBytes)) {
                if (streams.devices().contains(gone.device())) {
                    streams.rings(gone.device()).forget(gone.id());
                }
            }
            succeeded();
        } catch (RuntimeException e) {
            failed("sweep", e.toString());
        }
    }

    private void succeeded() {
        failure = null;
    }

    private void failed(String operation, String why) {
        failures(operation).increment();
        if (failure == null) {
            log.warn("The ring store failed ({}): {}; rings stay in memory only until it answers again", operation,
                    why);
        }
        failure = operation + ": " + why;
    }

    @Override
    public synchronized void start() {
        thread = Thread.ofPlatform().name("doorcast-ring-writer").daemon().start(this::run);
        // What expired while the server was stopped goes first.
        sweepSoon();
    }

    /** Writes what is pending at once, clips as far as they got: a restart keeps the rings of its last seconds. */
    @Override
    public synchronized void stop() {
        Thread running = thread;
        if (running == null) {
            return;
        }
        // Never an interrupt: one that lands in H2's file I/O closes the database.
        queue.add(new Job(0, Job.Kind.STOP, null));
        try {
            running.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
        queue.clear();
        sweepQueued.set(false);
        for (RingKey key : List.copyOf(pending.keySet())) {
            write(key, true);
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return thread != null;
    }

    /** Something for the writer's thread to do at {@code at} (epoch ms by the system clock, as the queue waits). */
    private record Job(long at, Kind kind, @Nullable RingKey key) implements Delayed {

        enum Kind { ROW, CLIP, SWEEP, STOP }

        static Job now(Kind kind, @Nullable RingKey key) {
            return new Job(System.currentTimeMillis(), kind, key);
        }

        static Job in(long millis, Kind kind, @Nullable RingKey key) {
            return new Job(System.currentTimeMillis() + Math.max(0, millis), kind, key);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(at, ((Job) other).at);
        }
    }
}
