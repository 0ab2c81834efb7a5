package dev.doorcast.stream;

import dev.doorcast.device.Channels;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.Sweeps;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StreamConfiguration {

    @Bean
    EndStreamsOnShutdown endStreamsOnShutdown(Channels channels) {
        return new EndStreamsOnShutdown(channels);
    }

    @Bean
    KeepAliveSweeper keepAliveSweeper(Channels channels, DoorcastProperties properties) {
        return new KeepAliveSweeper(channels, properties.stream().keepAlive());
    }

    @Bean
    Sweeps.Sweep keepAliveSweep(Sweeps sweeps, KeepAliveSweeper sweeper) {
        return sweeps.every(sweeper.period(), sweeper::sweep);
    }
}
