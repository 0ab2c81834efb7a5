package dev.doorcast.mqtt;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code mqtt: DOWN} while the broker is not connected (down, unreachable, or refusing doorcast's
 * credentials). Streams go on meanwhile, so like the relay's it is not in the liveness group: a platform
 * must not restart a server for its broker.
 */
final class MqttHealthIndicator implements HealthIndicator {

    private final MqttBridge bridge;

    MqttHealthIndicator(MqttBridge bridge) {
        this.bridge = bridge;
    }

    @Override
    public Health health() {
        return (bridge.connected() ? Health.up() : Health.down()).build();
    }
}
