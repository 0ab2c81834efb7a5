package dev.doorcast.relay;

import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages from Redis that were dropped, by reason, for {@code doorcast_relay_rejected_total}. Whoever
 * writes to the Redis decides how many there are, so the log gets at most one warning per
 * {@link #WARN_EVERY}, with the counts since the last, never a line per message.
 */
final class Rejections {

    static final Duration WARN_EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(Rejections.class);

    private final InstantSource clock;
    private final Map<Rejection, LongAdder> counts = new EnumMap<>(Rejection.class);
    private final Map<Rejection, Long> warned = new EnumMap<>(Rejection.class);
    private final AtomicLong nextWarning = new AtomicLong(Long.MIN_VALUE);

    Rejections(InstantSource clock) {
        this.clock = clock;
        for (Rejection reason : Rejection.values()) {
            counts.put(reason, new LongAdder());
            warned.put(reason, 0L);
        }
    }

    void add(Rejection reason) {
        counts.get(reason).increment();
        long now = clock.millis();
        long next = nextWarning.get();
        if (now >= next && nextWarning.compareAndSet(next, now + WARN_EVERY.toMillis())) {
            warn();
        }
    }

    long count(Rejection reason) {
        return counts.get(reason).sum();
    }

    /** Only the thread that moved {@code nextWarning} gets here, so {@code warned} has one writer at a time. */
    private void warn() {
        StringJoiner since = new StringJoiner(", ");
        long total = 0;
        for (Rejection reason : Rejection.values()) {
            long now = counts.get(reason).sum();
            long delta = now - warned.get(reason);
            warned.put(reason, now);
            if (delta > 0) {
                since.add(reason.tag() + " " + delta);
                total += delta;
            }
        }
        log.warn("Dropped {} message(s) from Redis that failed the relay's checks ({}); at most one such line "
                + "a minute, all of them in doorcast_relay_rejected_total. 'signature' or 'version' means an "
                + "instance with another doorcast.relay.secret or an older doorcast, or someone else writing "
                + "to Redis", total, since);
    }
}
