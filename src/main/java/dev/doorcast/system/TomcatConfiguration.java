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

    /** Tomcat's own connector, which bounds each read, plus a bound on the whole request head. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> requestHeadTimeout(DoorcastProperties properties) {
        Duration timeout = properties.limits().requestHeadTimeout();
        return factory -> {
            factory.setProtocol(HeadTimeoutProtocol.class.getName());
            factory.addConnectorCustomizers(connector -> {
                if (!(connector.getProtocolHandler() instanceof HeadTimeoutProtocol protocol)) {
                    throw new IllegalStateException("Tomcat's connector is not a HeadTimeoutProtocol but "
                            + connector.getProtocolHandler().getClass().getName());
                }
                protocol.setRequestHeadTimeout(timeout);
            });
        };
    }
}
