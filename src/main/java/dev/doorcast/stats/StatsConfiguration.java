package dev.doorcast.stats;

import java.time.InstantSource;

import dev.doorcast.link.DoorbellLinks;
import dev.doorcast.stream.Viewers;
import dev.doorcast.system.DoorcastProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.ServerRequestObservationContext;

@Configuration(proxyBeanMethods = false)
class StatsConfiguration {

    @Bean
    DoorcastMetrics doorcastMetrics(Viewers viewers, InstantSource clock, DoorcastProperties properties,
            DoorbellLinks links) {
        return new DoorcastMetrics(viewers, clock, properties.presence().offlineAfter(), links);
    }

    @Bean
    FilterRegistrationBean<DevicePostTimer> devicePostTimer(MeterRegistry registry) {
        FilterRegistrationBean<DevicePostTimer> filter = new FilterRegistrationBean<>(new DevicePostTimer(registry));
        filter.addUrlPatterns("/api/v1/devices/*");
        // Before Spring Security's filter, so a refused POST is timed too.
        filter.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return filter;
    }

    @Bean
    DoorbellHealthIndicator doorbellHealthIndicator(DoorcastMetrics metrics) {
        return new DoorbellHealthIndicator(metrics);
    }

    /**
     * Keeps the endless streams out of {@code http.server.requests}: each would be timed only when it ends,
     * after minutes or hours, and swamp the latency of every ordinary request.
     */
    @Bean
    ObservationPredicate noStreamsInRequestMetrics() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && isStream(request.getCarrier().getRequestURI()));
    }

    static boolean isStream(String uri) {
        return uri.equals("/api/v1/stream/camera") || uri.equals("/api/v1/stream/audio")
                || uri.equals("/api/v1/stream/events") || uri.equals("/api/v1/devices/doorbell/speaker-stream");
    }
}
