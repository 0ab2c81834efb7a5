package dev.doorcast.events;

import java.time.InstantSource;

import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.Sweeps;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

    @Bean
    DeviceEvents deviceEvents(DoorcastProperties properties, InstantSource clock) {
        return new DeviceEvents(properties.deviceIds(), clock);
    }

    @Bean
    DoorWatch doorWatch(DeviceEvents events, DeviceStreams streams, DoorcastProperties properties,
            InstantSource clock) {
        return new DoorWatch(events, streams, properties.presence().offlineAfter(), clock);
    }

    @Bean
    Sweeps.Sweep presenceSweep(Sweeps sweeps, DoorWatch watch) {
        return sweeps.every(DoorWatch.SWEEP_EVERY, watch::sweep);
    }
}
