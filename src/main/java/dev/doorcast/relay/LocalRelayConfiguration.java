package dev.doorcast.relay;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One instance on its own (the default): nothing is shared, and the stats say so. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "doorcast.relay.type", havingValue = "local", matchIfMissing = true)
class LocalRelayConfiguration {

    @Bean
    RelayState localRelay() {
        return () -> "local";
    }
}
