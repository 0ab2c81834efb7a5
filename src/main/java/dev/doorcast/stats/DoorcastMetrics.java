package dev.doorcast.stats;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import dev.doorcast.buffer.BufferStats;
import dev.doorcast.buffer.DoorbellRings;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.link.DoorbellLinks;
import dev.doorcast.stream.DeviceViewers;
import dev.doorcast.stream.Viewer;
import dev.doorcast.stream.ViewerRegistry;
import dev.doorcast.stream.Viewers;
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

    private final Viewers devices;
    private final InstantSource clock;
    private final Duration offlineAfter;
    private final DoorbellLinks links;

    DoorcastMetrics(Viewers devices, InstantSource clock, Duration offlineAfter, DoorbellLinks links) {
        this.devices = devices;
        this.clock = clock;
        this.offlineAfter = offlineAfter;
        this.links = links;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (DeviceViewers channel : devices.all()) {
            bindTo(registry, channel);
        }
    }

    private void bindTo(MeterRegistry registry, DeviceViewers channel) {
        StreamBuffer buffer = channel.channel().buffer();
        ViewerRegistry viewers = channel.viewers();
        Tags device = Tags.of("device", channel.device());
        counter(registry, "doorcast.frames.received", "Camera frames accepted from the device", null,
                buffer, BufferStats::framesReceived, device);
        counter(registry, "doorcast.audio.chunks.received", "Audio chunks accepted from the device", null,
                buffer, BufferStats::audioChunksReceived, device);
        counter(registry, "doorcast.received", "JPEG and PCM bytes accepted from the device", "bytes",
                buffer, BufferStats::bytesReceived, device);
        counter(registry, "doorcast.frames.evicted", "Frames overwritten in the ring by newer ones", null,
                buffer, BufferStats::framesEvicted, device);
        counter(registry, "doorcast.audio.chunks.evicted", "Audio chunks overwritten in the ring by newer ones",
                null, buffer, BufferStats::audioChunksEvicted, device);
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
        FunctionCounter.builder("doorcast.rings", channel.channel().rings(), DoorbellRings::taken)
                .description("Doorbell rings, posted here or relayed from another instance")
                .tags(device).register(registry);
        FunctionCounter.builder("doorcast.talk.chunks", channel.channel().talk(), TalkBuffer::chunksReceived)
                .description("Chunks of viewers' voice stored for the doorbell's speaker")
                .tags(device).register(registry);
        Gauge.builder("doorcast.event.streams", viewers, ViewerRegistry::eventStreams)
                .description("Events streams (viewer pages told of rings) open now").tags(device).register(registry);
        Gauge.builder("doorcast.speaker.streams", channel.speakers(), s -> s.count(Viewer.Kind.SPEAKER))
                .description("The doorbell's speaker streams connected now").tags(device).register(registry);
        Gauge.builder("doorcast.viewers", viewers, ViewerRegistry::viewers)
                .description("Camera viewers connected now").tags(device).register(registry);
        Gauge.builder("doorcast.listeners", viewers, ViewerRegistry::listeners)
                .description("Audio listeners connected now").tags(device).register(registry);
        Gauge.builder("doorcast.device.online", buffer, b -> online(b) ? 1 : 0)
                .description("1 while the device has sent a frame within the offline threshold, else 0")
                .tags(device).register(registry);
        String id = channel.device();
        Gauge.builder("doorcast.device.link", links, l -> l.state(id).connected() ? 1 : 0)
                .description("1 while the device is on its link (one WebSocket), 0 while it posts or is away")
                .tags(device).register(registry);
        Gauge.builder("doorcast.device.link.round.trip", links, l -> roundTripSeconds(l.state(id)))
                .description("Round trip of the link's last ping; NaN before the first answer or off the link")
                .baseUnit("seconds").tags(device).register(registry);
        Timer deliveryAge = Timer.builder("doorcast.frame.delivery.age")
                .description("Time from a frame's arrival from the device to its write to a viewer")
                .tags(device)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        viewers.onDelivery(ageMillis -> deliveryAge.record(ageMillis, TimeUnit.MILLISECONDS));
        Gauge.builder("doorcast.buffer.held", buffer, StreamBuffer::heldBytes)
                .description("Bytes of frames, audio chunks and ring clips the device's buffer holds, as counted "
                        + "against doorcast.buffer.max-memory")
                .baseUnit("bytes").tags(device).register(registry);
        Gauge.builder("doorcast.frame.age", buffer, this::newestFrameAgeSeconds)
                .description("Age of the newest frame, -1 before the first")
                .baseUnit("seconds").tags(device).register(registry);
    }

    /** Whether every device has sent a frame within the offline threshold. */
    boolean allOnline() {
        return devices.all().stream().allMatch(channel -> online(channel.channel().buffer()));
    }

    private static double roundTripSeconds(DoorbellLinks.State link) {
        return link.roundTripMillis() < 0 ? Double.NaN : link.roundTripMillis() / 1000.0;
    }

    boolean online(StreamBuffer buffer) {
        Long last = buffer.stats().lastFrameTime();
        return last != null && clock.millis() - last <= offlineAfter.toMillis();
    }

    private double newestFrameAgeSeconds(StreamBuffer buffer) {
        Long last = buffer.stats().lastFrameTime();
        return last == null ? -1 : (clock.millis() - last) / 1000.0;
    }

    private static void counter(MeterRegistry registry, String name, String description, @Nullable String unit,
            StreamBuffer buffer, ToDoubleFunction<BufferStats> value, Tags tags) {
        FunctionCounter.builder(name, buffer, b -> value.applyAsDouble(b.stats()))
                .description(description).baseUnit(unit).tags(tags).register(registry);
    }
}
