package dev.doorcast.system;

import java.time.InstantSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clock every room reads, and the one thread that runs every sweep; public so that slice tests can import it. */
@Configuration(proxyBeanMethods = false)
public class ClockConfiguration {

    @Bean
    InstantSource clock() {
        return InstantSource.system();
    }

    @Bean
    Sweeps sweeps() {
        return new Sweeps();
    }
}
