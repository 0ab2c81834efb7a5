package dev.doorcast.stats;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import dev.doorcast.security.DeviceTokenFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Times every device POST from the first byte the filter chain sees to the answer, authentication and
 * parsing included: {@code doorcast_device_post_seconds{kind="frame"|"audio"|"ring",outcome=...}}, with a
 * histogram so that percentiles can be computed across instances.
 */
final class DevicePostTimer extends OncePerRequestFilter {

    private final MeterRegistry registry;

    DevicePostTimer(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            String uri = request.getRequestURI();
            String kind = uri.endsWith("/camera-stream") ? "frame" : uri.endsWith("/mic-stream") ? "audio"
                    : uri.endsWith("/ring") ? "ring" : "other";
            Timer.builder("doorcast.device.post")
                    .description("Time to answer a device's POST")
                    .tag("device", device(request))
                    .tag("kind", kind)
                    .tag("outcome", outcome(response.getStatus()))
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** The device the token said, known once the token filter has run; refused posts belong to none. */
    private static String device(HttpServletRequest request) {
        return request.getAttribute(DeviceTokenFilter.DEVICE_ATTRIBUTE) instanceof String device ? device : "unknown";
    }

    private static String outcome(int status) {
        return switch (status / 100) {
            case 2 -> "SUCCESS";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }
}
