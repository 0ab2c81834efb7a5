package dev.doorcast.relay;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code relay: DOWN} while Redis is away. Local streaming goes on meanwhile, so the platform's health
 * checks use the liveness group, which leaves this out: an instance must not be restarted for it.
 */
final class RelayHealthIndicator implements HealthIndicator {

    private final RedisRelay relay;

    RelayHealthIndicator(RedisRelay relay) {
        this.relay = relay;
    }

    @Override
    public Health health() {
        return (relay.connected() ? Health.up() : Health.down()).build();
    }
}
