package dev.doorcast.mqtt;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.events.DeviceEvents;
import dev.doorcast.system.DoorcastProperties;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** MQTT for Home Assistant when {@code doorcast.mqtt.url} is set; without it none of this exists. */
@Configuration(proxyBeanMethods = false)
@Conditional(MqttConfiguration.UrlSet.class)
class MqttConfiguration {

    static final class UrlSet implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("doorcast.mqtt.url");
            return url != null && !url.isBlank();
        }
    }

    @Bean
    MqttOutbox mqttOutbox(DoorcastProperties properties) {
        return new MqttOutbox(properties.mqtt().queue());
    }

    @Bean
    DoorbellPublisher doorbellPublisher(DoorcastProperties properties, DeviceStreams streams, DeviceEvents events,
            MqttOutbox outbox) {
        DoorcastProperties.Mqtt mqtt = properties.mqtt();
        List<DoorbellPublisher.Doorbell> doorbells = new ArrayList<>();
        for (String device : streams.devices()) {
            doorbells.add(new DoorbellPublisher.Doorbell(device, properties.deviceName(device), events.of(device)));
        }
        DoorbellPublisher publisher = new DoorbellPublisher(
                new MqttTopics(mqtt.topicPrefix(), mqtt.discoveryPrefix()), outbox, doorbells);
        for (String device : streams.devices()) {
            streams.buffer(device).addListener(publisher.rings(device));
        }
        return publisher;
    }

    @Bean
    MqttBridge mqttBridge(DoorcastProperties properties, MqttOutbox outbox, DoorbellPublisher publisher)
            throws MqttException {
        DoorcastProperties.Mqtt mqtt = properties.mqtt();
        String clientId = mqtt.clientId() != null ? mqtt.clientId()
                : "doorcast-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        BrokerConnection broker = new BrokerConnection(mqtt.url(), clientId, mqtt.username(), mqtt.password(),
                new MqttTopics(mqtt.topicPrefix(), mqtt.discoveryPrefix()).status(), mqtt.reconnectDelay(),
                mqtt.queue(), new BrokerConnection.Events() {
                    @Override
                    public void connected() {
                        publisher.connected();
                    }

                    @Override
                    public void statusDenied() {
                        publisher.statusDenied();
                    }
                });
        outbox.sendThrough(broker);
        return new MqttBridge(broker, outbox);
    }

    @Bean
    MqttHealthIndicator mqttHealthIndicator(MqttBridge bridge) {
        return new MqttHealthIndicator(bridge);
    }

    @Bean
    MeterBinder mqttMetrics(MqttBridge bridge, MqttOutbox outbox) {
        return registry -> {
            Gauge.builder("doorcast.mqtt.connected", bridge, b -> b.connected() ? 1 : 0)
                    .description("1 while connected to the MQTT broker, else 0").register(registry);
            FunctionCounter.builder("doorcast.mqtt.published", outbox, MqttOutbox::published)
                    .description("Messages the MQTT broker acknowledged").register(registry);
            for (MqttOutbox.Drop reason : MqttOutbox.Drop.values()) {
                FunctionCounter.builder("doorcast.mqtt.dropped", outbox, o -> o.dropped(reason))
                        .description("MQTT messages not delivered: queue full, broker not connected, or refused "
                                + "or never acknowledged")
                        .tag("reason", reason.tag()).register(registry);
            }
        };
    }
}
