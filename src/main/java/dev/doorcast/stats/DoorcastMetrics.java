package dev.doorcast.stats;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import dev.doorcast.buffer.BufferStats;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.stream.ViewerRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * doorcast's own meters, read from the buffer and the viewer registry at scrape time, so the hot paths
 * only bump the counters they already keep. In Prometheus they read {@code doorcast_frames_received_total},
 * {@code doorcast_viewers} and so on; each carries a {@code device} tag.
 */
final class DoorcastMetrics implements MeterBinder {

    static final String DEVICE = "doorbell";

    private final StreamBuffer buffer;
    private final ViewerRegistry viewers;
    private final InstantSource clock;
    private final Duration offlineAfter;

    DoorcastMetrics(StreamBuffer buffer, ViewerRegistry viewers, InstantSource clock, Duration offlineAfter) {
        this.buffer = buffer;
        this.viewers = viewers;
        this.clock = clock;
        this.offlineAfter = offlineAfter;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags device = Tags.of("device", DEVICE);
        counter(registry, "doorcast.frames.received", "Camera frames accepted from the device", null,
                BufferStats::framesReceived, device);
        counter(registry, "doorcast.audio.chunks.received", "Audio chunks accepted from the device", null,
                BufferStats::audioChunksReceived, device);
        counter(registry, "doorcast.received", "JPEG and PCM bytes accepted from the device", "bytes",
                BufferStats::bytesReceived, device);
        counter(registry, "doorcast.frames.evicted", "Frames overwritten in the ring by newer ones", null,
                BufferStats::framesEvicted, device);
        counter(registry, "doorcast.audio.chunks.evicted", "Audio chunks overwritten in the ring by newer ones",
                null, BufferStats::audioChunksEvicted, device);
        FunctionCounter.builder("doorcast.frames.skipped", viewers, ViewerRegistry::framesSkipped)
                .description("Frames viewers never got because a newer one arrived first, summed over viewers")
                .tags(device).register(registry);
        FunctionCounter.builder("doorcast.audio.chunks.skipped", viewers, ViewerRegistry::audioChunksSkipped)
                .description("Audio chunks listeners skipped because they fell behind, summed over listeners")
                .tags(device).register(registry);
        FunctionCounter.builder("doorcast.viewers.stalled", viewers, ViewerRegistry::viewersStalled)
                .description("Viewers and listeners dropped because their connection took no bytes for the "
                        + "connection timeout")
                .tags(device).register(registry);
        Gauge.builder("doorcast.viewers", viewers, ViewerRegistry::viewers)
                .description("Camera viewers connected now").tags(device).register(registry);
        Gauge.builder("doorcast.listeners", viewers, ViewerRegistry::listeners)
                .description("Audio listeners connected now").tags(device).register(registry);
        Gauge.builder("doorcast.device.online", this, metrics -> metrics.online() ? 1 : 0)
                .description("1 while the device has sent a frame within the offline threshold, else 0")
                .tags(device).register(registry);
        Timer deliveryAge = Timer.builder("doorcast.frame.delivery.age")
                .description("Time from a frame's arrival from the device to its write to a viewer")
                .tags(device)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        viewers.onDelivery(ageMillis -> deliveryAge.record(ageMillis, TimeUnit.MILLISECONDS));
        Gauge.builder("doorcast.frame.age", this, DoorcastMetrics::newestFrameAgeSeconds)
                .description("Age of the newest frame, -1 before the first")
                .baseUnit("seconds").tags(device).register(registry);
    }

    boolean online() {
        Long last = buffer.stats().lastFrameTime();
        return last != null && clock.millis() - last <= offlineAfter.toMillis();
    }

    private double newestFrameAgeSeconds() {
        Long last = buffer.stats().lastFrameTime();
        return last == null ? -1 : (clock.millis() - last) / 1000.0;
    }

    private void counter(MeterRegistry registry, String name, String description, @Nullable String unit,
            ToDoubleFunction<BufferStats> value, Tags tags) {
        FunctionCounter.builder(name, buffer, b -> value.applyAsDouble(b.stats()))
                .description(description).baseUnit(unit).tags(tags).register(registry);
    }
}
