package dev.doorcast.speaker;

import dev.doorcast.device.Channels;
import dev.doorcast.system.DoorcastProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SpeakerConfiguration {

    @Bean
    Speakers speakers(Channels channels, DoorcastProperties properties) {
        return new Speakers(channels, properties);
    }
}
