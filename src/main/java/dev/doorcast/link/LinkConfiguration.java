package dev.doorcast.link;

import java.time.Duration;

import dev.doorcast.system.Sweeps;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class LinkConfiguration {

    /**
     * Twice a second, every link's doorbell hears whether anyone started or stopped watching: within a second
     * of the first viewer, as the doorbell's {@code watching} notice promises, at the cost of two counts a link.
     */
    @Bean
    Sweeps.Sweep linkAudienceSweep(Sweeps sweeps, DoorbellLinks links) {
        return sweeps.every(Duration.ofMillis(500), links::checkAudiences);
    }
}
