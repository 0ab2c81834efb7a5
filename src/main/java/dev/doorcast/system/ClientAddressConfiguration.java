package dev.doorcast.system;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** How many connections each client address may hold, counted by the connector or, behind a proxy, a filter. */
@Configuration(proxyBeanMethods = false)
class ClientAddressConfiguration {

    /** The connections each client address holds, shared by the connector and, behind a proxy, the filter. */
    @Bean
    ClientAddresses clientAddresses(DoorcastProperties properties) {
        return new ClientAddresses(properties.limits().maxConnectionsPerAddress());
    }

    /** {@code doorcast_connections_closed_total{reason}}: what sharing the connections out by address closed. */
    @Bean
    MeterBinder connectionsClosed(ClientAddresses addresses) {
        return registry -> {
            for (ClientAddresses.Closed why : ClientAddresses.Closed.values()) {
                FunctionCounter.builder("doorcast.connections.closed", addresses, a -> a.closedSinceStart(why))
                        .description("Connections closed to share them out by client address, by reason")
                        .tag("reason", why.tag())
                        .register(registry);
            }
        };
    }

    /** Behind fly.io's proxy, counts each connection against the client the proxy names; off otherwise. */
    @Bean
    FilterRegistrationBean<ProxiedClientFilter> proxiedClientFilter(ClientAddresses addresses,
            DoorcastProperties properties) {
        FilterRegistrationBean<ProxiedClientFilter> filter = new FilterRegistrationBean<>(
                new ProxiedClientFilter(addresses));
        filter.setEnabled(properties.limits().clientAddress() == DoorcastProperties.ClientAddress.FLY_PROXY
                && addresses.capped());
        // First of all: a client past its cap is answered before any other work, credentials included.
        filter.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return filter;
    }
}
