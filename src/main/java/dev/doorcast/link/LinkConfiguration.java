package dev.doorcast.link;

import java.time.Duration;

import dev.doorcast.system.Sweeps;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class LinkConfiguration {

    /**
     * Twice a second, every link's doorbell hears whether anyone started or stopped watching (within a second
     * of the first viewer, as the {@code watching} notice promises), and a link silent past its limit ends.
     */
    @Bean
    Sweeps.Sweep linkSweep(Sweeps sweeps, DoorbellLinks links) {
        return sweeps.every(Duration.ofMillis(500), links::sweep);
    }
}
