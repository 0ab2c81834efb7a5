package dev.doorcast.stats;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Whether the doorbells are sending: {@code OFFLINE} while any configured device is quiet. That is not {@code DOWN}: the server
 * itself is fine and keeps serving viewers, so the status maps to HTTP 200 (see application.yaml) and is
 * kept out of the liveness and readiness groups, and a platform health check never restarts the server
 * because the doorbell's Wi-Fi dropped.
 */
final class DoorbellHealthIndicator implements HealthIndicator {

    static final Status OFFLINE = new Status("OFFLINE", "The doorbell has not sent a frame recently");

    private final DoorcastMetrics metrics;

    DoorbellHealthIndicator(DoorcastMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Health health() {
        return (metrics.allOnline() ? Health.up() : Health.status(OFFLINE)).build();
    }
}
