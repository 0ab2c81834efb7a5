package dev.doorcast.speaker;

import dev.doorcast.stream.Viewers;
import dev.doorcast.system.DoorcastProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SpeakerConfiguration {

    @Bean
    Speakers speakers(Viewers viewers, DoorcastProperties properties) {
        return new Speakers(viewers, properties);
    }
}
