package dev.doorcast.demo;

import java.net.URI;

import dev.doorcast.security.DeviceCredentials;
import dev.doorcast.system.DoorcastProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Configuration;

/** Starts the simulated doorbell once the server listens, when {@code doorcast.demo.enabled} is true. */
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

    @Override
    public synchronized void close() {
        if (doorbell != null) {
            doorbell.close();
        }
    }
}
