package dev.doorcast.relay;

import java.time.Duration;
import java.time.InstantSource;
import java.util.UUID;

import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.system.DoorcastProperties;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Redis relay, when {@code doorcast.relay.type=redis}; with the default {@code local} none of this
 * exists and nothing ever tries to reach Redis. Redis is found through Spring Boot's own setting names
 * ({@code spring.data.redis.url}, or host and port: {@link RedisSettings}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "doorcast.relay.type", havingValue = "redis")
@EnableConfigurationProperties(RedisSettings.class)
class RelayConfiguration {

    @Bean(destroyMethod = "shutdown")
    ClientResources relayClientResources(DoorcastProperties properties) {
        // Lettuce's default backoff grows to 30 s; a relay must be back within seconds of Redis.
        return ClientResources.builder()
                .reconnectDelay(Delay.constant(properties.relay().reconnectDelay()))
                .build();
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient relayClient(ClientResources resources, RedisSettings redis) {
        RedisURI uri = redis.uri();
        uri.setTimeout(Duration.ofSeconds(2));
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While disconnected, fail commands at once rather than queue them: nothing piles up, no
                // stale burst on return, and a device POST never waits on Redis.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(1)))
                .build());
        return client;
    }

    @Bean
    RedisRelay redisRelay(RedisClient client, DeviceStreams streams, DoorcastProperties properties,
            InstantSource clock) {
        DoorcastProperties.Relay relay = properties.relay();
        return new RedisRelay(client, streams, UUID.randomUUID(), RelayKey.from(relay.secret()), clock,
                properties.limits().maxFrameSize().toBytes(), properties.limits().maxAudioChunkSize().toBytes(),
                relay.latestFrameTtl(), relay.reconnectDelay());
    }

    @Bean
    RelayHealthIndicator relayHealthIndicator(RedisRelay relay) {
        return new RelayHealthIndicator(relay);
    }

    @Bean
    MeterBinder relayMetrics(RedisRelay relay) {
        return registry -> {
            Gauge.builder("doorcast.relay.connected", relay, r -> r.connected() ? 1 : 0)
                    .description("1 while connected to Redis, else 0").register(registry);
            FunctionCounter.builder("doorcast.relay.published", relay, RedisRelay::published)
                    .description("Frames and chunks published to other instances").register(registry);
            FunctionCounter.builder("doorcast.relay.publish.failures", relay, RedisRelay::publishFailures)
                    .description("Publishes dropped because Redis was away or slow").register(registry);
            FunctionCounter.builder("doorcast.relay.received", relay, RedisRelay::relayedIn)
                    .description("Frames and chunks received from other instances").register(registry);
            for (Rejection reason : Rejection.values()) {
                FunctionCounter.builder("doorcast.relay.rejected", relay, r -> r.rejected(reason))
                        .description("Messages from Redis dropped before reaching a buffer: unsigned, "
                                + "forged, malformed, too large, stale, replayed or not a JPEG / 16-bit PCM")
                        .tag("reason", reason.tag()).register(registry);
            }
        };
    }
}
