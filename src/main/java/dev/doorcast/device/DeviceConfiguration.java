package dev.doorcast.device;

import java.time.InstantSource;

import dev.doorcast.events.DeviceEvents;
import dev.doorcast.system.DoorcastProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DeviceConfiguration {

    @Bean
    Channels channels(DoorcastProperties properties, DeviceEvents events, InstantSource clock) {
        return new Channels(properties, events, clock);
    }
}
