package dev.doorcast.tomcat;

import java.time.Duration;

import dev.doorcast.system.ClientAddresses;
import dev.doorcast.system.DoorcastProperties;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

    @Bean
    StreamConnector streamConnector(DoorcastProperties properties) {
        return new StreamConnector(properties.stream().socketWriteBuffer());
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallConnectionBuffers() {
        return factory -> factory.addEngineValves(new SmallReaderBuffers());
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorsFromTomcat() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }

    /**
     * doorcast's connector ({@link DoorcastHttpProtocol}), set here only: anything else that set a protocol
     * would replace it, and with it the head timeout and the small buffers, which is why the check stays.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> doorcastProtocol(DoorcastProperties properties,
            ClientAddresses addresses) {
        DoorcastProperties.Limits limits = properties.limits();
        Duration timeout = properties.http().requestHeadTimeout();
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
