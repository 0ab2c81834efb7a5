package dev.doorcast.demo;

import java.net.URI;

import dev.doorcast.security.DeviceCredentials;
import dev.doorcast.system.DoorcastProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * Starts the simulated doorbell once the server listens, when {@code doorcast.demo.enabled} is true, and
 * stops it as soon as the application starts to stop: before the server's graceful shutdown closes its
 * connections, which would fail the doorbell's next post with an IOException it would log as a warning
 * on every Ctrl-C.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "doorcast.demo.enabled", matchIfMissing = true)
class DemoConfiguration implements ApplicationListener<WebServerInitializedEvent>, AutoCloseable {

    private final DeviceCredentials credentials;
    private final DoorcastProperties properties;
    private @Nullable SimulatedDoorbell doorbell;

    DemoConfiguration(DeviceCredentials credentials, DoorcastProperties properties) {
        this.credentials = credentials;
        this.properties = properties;
    }

    @Override
    public synchronized void onApplicationEvent(WebServerInitializedEvent event) {
        if (doorbell == null) {
            doorbell = new SimulatedDoorbell(URI.create("http://127.0.0.1:" + event.getWebServer().getPort()),
                    credentials.token(), properties.demo().fps(), properties.demo().ringEvery());
            doorbell.start();
        }
    }

    @EventListener(ContextClosedEvent.class)
    void stopping() {
        close();
    }

    @Override
    public synchronized void close() {
        if (doorbell != null) {
            doorbell.close();
        }
    }
}
