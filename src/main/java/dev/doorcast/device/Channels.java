package dev.doorcast.device;

import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.doorcast.buffer.DoorbellRings;
import dev.doorcast.buffer.MemoryBudget;
import dev.doorcast.buffer.RingSettings;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.events.DeviceEvents;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.DoorcastProperties;
import org.jspecify.annotations.Nullable;

/**
 * Every configured device's channel. Memory is bounded per device (its circular buffers) and across devices (one
 * {@link MemoryBudget} for all buffers); a device that never posts costs its empty buffers and nothing else.
 */
public final class Channels {

    private final Map<String, Channel> byDevice = new LinkedHashMap<>();
    private final MemoryBudget budget;

    public Channels(DoorcastProperties properties, DeviceEvents events, InstantSource clock) {
        budget = new MemoryBudget(properties.buffer().maxMemoryBytes());
        for (String device : properties.deviceIds()) {
            StreamBuffer buffer = new StreamBuffer(properties.buffer().frames(), properties.buffer().audioChunks(),
                    budget, clock);
            DoorbellRings rings = new DoorbellRings(buffer, ringSettings(properties.rings()), clock);
            TalkBuffer talk = new TalkBuffer(properties.buffer().audioChunks(), clock);
            byDevice.put(device, new Channel(device, buffer, rings, events.of(device), talk));
        }
    }

    /**
     * The channel of {@code device}, the default device's when null.
     *
     * @throws ApiException 404 for a device that is not configured
     */
    public Channel get(@Nullable String device) {
        Channel channel = byDevice.get(device == null ? DoorcastProperties.DEFAULT_DEVICE : device);
        if (channel == null) {
            throw ApiException.notFound("Unknown device", "No device '" + device + "' is configured here");
        }
        return channel;
    }

    /** What all devices' buffers may hold together, and hold now. */
    public MemoryBudget memoryBudget() {
        return budget;
    }

    public Collection<Channel> all() {
        return byDevice.values();
    }

    /** Every device's id, the default first. */
    public List<String> devices() {
        return List.copyOf(byDevice.keySet());
    }

    private static RingSettings ringSettings(DoorcastProperties.Rings rings) {
        return new RingSettings(rings.keep(), rings.clipBefore(), rings.clipAfter(), rings.maxClipFrames());
    }
}
