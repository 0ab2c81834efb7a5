package dev.doorcast.stats;

import java.time.Duration;
import java.time.InstantSource;

import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.stream.ViewerRegistry;
import dev.doorcast.system.DoorcastProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class StatsController {

    /** The original API wraps the numbers: {@code {"success": true, "stats": {...}}}. */
    record StatsResponse(boolean success, StreamStats stats) {
    }

    private final StreamBuffer buffer;
    private final ViewerRegistry viewers;
    private final InstantSource clock;
    private final Duration activeWithin;

    StatsController(StreamBuffer buffer, ViewerRegistry viewers, InstantSource clock, DoorcastProperties properties) {
        this.buffer = buffer;
        this.viewers = viewers;
        this.clock = clock;
        this.activeWithin = properties.stream().deviceOfflineAfter();
    }

    @GetMapping("/api/v1/stream/stats")
    StatsResponse stats() {
        return new StatsResponse(true, StreamStats.of(buffer.stats(), viewers, clock.millis(), activeWithin));
    }
}
