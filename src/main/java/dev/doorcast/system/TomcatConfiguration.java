package dev.doorcast.system;

import java.time.Duration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorsFromTomcat() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }

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

    /**
     * doorcast's connector ({@link DoorcastHttpProtocol}), set here only: anything else that set a protocol
     * would replace it, and with it the head timeout and the small buffers, which is why the check stays.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> doorcastProtocol(DoorcastProperties properties,
            ClientAddresses addresses) {
        DoorcastProperties.Limits limits = properties.limits();
        Duration timeout = limits.requestHeadTimeout();
        boolean fromPeer = limits.clientAddress() == DoorcastProperties.ClientAddress.PEER;
        int streamSendBuffer = (int) Math.min(Integer.MAX_VALUE, properties.stream().sendBuffer().toBytes());
        return factory -> {
            factory.setProtocol(DoorcastHttpProtocol.class.getName());
            factory.addConnectorCustomizers(connector -> {
                if (!(connector.getProtocolHandler() instanceof DoorcastHttpProtocol protocol)) {
                    throw new IllegalStateException("Tomcat's connector is not a DoorcastHttpProtocol but "
                            + connector.getProtocolHandler().getClass().getName());
                }
                protocol.setRequestHeadTimeout(timeout);
                protocol.setStreamSendBuffer(streamSendBuffer);
                protocol.setClientAddresses(addresses, fromPeer);
                protocol.setMaxHeadsPerAddress(limits.maxHeadsPerAddress());
                protocol.setIdleConnectionsGiveWayAt(limits.idleConnectionsGiveWayAt());
            });
        };
    }
}
