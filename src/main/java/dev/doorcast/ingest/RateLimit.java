package dev.doorcast.ingest;

import java.time.InstantSource;

/**
 * A token bucket: {@code perSecond} units a second, sustained, with bursts of up to one second's worth
 * unless told otherwise. A device far above its expected rate is misbehaving or not the device; slowing it
 * down protects the viewers and the server.
 */
final class RateLimit {

    private final double perSecond;
    private final double capacity;
    private final InstantSource clock;
    private double available;
    private long updatedAt;

    RateLimit(double perSecond, InstantSource clock) {
        this(perSecond, perSecond, clock);
    }

    /** A bucket of {@code burst} units, full at the start, that refills at {@code perSecond}. */
    RateLimit(double perSecond, double burst, InstantSource clock) {
        this.perSecond = perSecond;
        this.capacity = burst;
        this.clock = clock;
        this.available = capacity;
        this.updatedAt = clock.millis();
    }

    /**
     * Takes {@code units} if there are enough.
     *
     * @return 0 when taken, else how many whole seconds until there will be enough (at least 1)
     */
    synchronized long take(double units) {
        long now = clock.millis();
        available = Math.min(capacity, available + (now - updatedAt) / 1000.0 * perSecond);
        updatedAt = now;
        if (units <= available) {
            available -= units;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((Math.min(units, capacity) - available) / perSecond));
    }
}
