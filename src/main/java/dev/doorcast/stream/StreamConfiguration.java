package dev.doorcast.stream;

import java.time.InstantSource;

import dev.doorcast.device.Channels;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.Sweeps;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StreamConfiguration {

    @Bean
    Viewers viewers(Channels channels, DoorcastProperties properties, InstantSource clock) {
        return new Viewers(channels, properties, clock);
    }

    @Bean
    EndStreamsOnShutdown endStreamsOnShutdown(Viewers viewers) {
        return new EndStreamsOnShutdown(viewers);
    }

    @Bean
    KeepAliveSweeper keepAliveSweeper(Viewers viewers, DoorcastProperties properties) {
        return new KeepAliveSweeper(viewers, properties.stream().keepAlive());
    }

    @Bean
    Sweeps.Sweep keepAliveSweep(Sweeps sweeps, KeepAliveSweeper sweeper) {
        return sweeps.every(sweeper.period(), sweeper::sweep);
    }
}
