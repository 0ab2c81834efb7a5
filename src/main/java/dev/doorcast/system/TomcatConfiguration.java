package dev.doorcast.system;

import java.time.Duration;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

    /**
     * doorcast's connector ({@link DoorcastHttpProtocol}), set here only: anything else that set a protocol
     * would replace it, and with it the head timeout and the small buffers, which is why the check stays.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> doorcastProtocol(DoorcastProperties properties) {
        Duration timeout = properties.limits().requestHeadTimeout();
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
            });
        };
    }
}
