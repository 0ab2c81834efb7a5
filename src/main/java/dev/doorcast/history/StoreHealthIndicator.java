package dev.doorcast.history;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code store: DOWN} while the last store operation (a write, a read, a delete, the periodic sweep)
 * failed, {@code UP} once one succeeds again. It asks the store nothing itself: anyone may call the health
 * endpoint, and a health check must not queue for a connection to a store that is down. Rings still reach
 * every listener meanwhile, so the liveness and readiness groups leave it out: no instance is restarted
 * or taken out of rotation for it.
 */
final class StoreHealthIndicator implements HealthIndicator {

    private final RingWriter writer;

    StoreHealthIndicator(RingWriter writer) {
        this.writer = writer;
    }

    @Override
    public Health health() {
        return (writer.failure() == null ? Health.up() : Health.down()).build();
    }
}
