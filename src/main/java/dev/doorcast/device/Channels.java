package dev.doorcast.device;

import java.time.InstantSource;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.doorcast.buffer.Audience;
import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.MemoryBudget;
import dev.doorcast.buffer.RingSettings;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.events.DeviceEvents;
import dev.doorcast.stream.StreamQuota;
import dev.doorcast.stream.ViewerRegistry;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.DoorcastProperties;
import org.jspecify.annotations.Nullable;

/**
 * Every configured device's channel. Memory is bounded per device (its circular buffers) and across devices (one
 * {@link MemoryBudget} for all buffers); a device that never posts costs its empty buffers and nothing else.
 * Viewers of all channels count against one limit.
 */
public final class Channels implements DeviceStreams {

    /**
     * Speaker streams one device may hold at once: its one, and a few more while it reconnects before the
     * server has noticed that the old connection is gone.
     */
    static final int MAX_SPEAKER_STREAMS = 4;

    private final Map<String, Channel> byDevice = new LinkedHashMap<>();
    private final MemoryBudget budget;

    public Channels(DoorcastProperties properties, DeviceEvents events, InstantSource clock) {
        DoorcastProperties.Limits limits = properties.limits();
        // Slots are kept for viewer tokens only where there are viewer tokens.
        boolean owner = present(properties.security().viewerToken());
        Set<String> households = new HashSet<>();
        properties.devices().forEach((id, device) -> {
            if (present(device.viewerToken())) {
                households.add(id);
            }
        });
        int reserved = owner || !households.isEmpty() ? limits.reservedViewers() : 0;
        int share = limits.maxStreamsPerHousehold() > 0 ? limits.maxStreamsPerHousehold()
                : StreamQuota.equalShare(limits.maxViewers(), reserved, owner, households.size());
        StreamQuota quota = new StreamQuota(limits.maxViewers(), reserved, limits.maxStreamsPerClient(), households,
                share, owner);
        budget = new MemoryBudget(properties.buffer().maxMemoryBytes());
        for (String device : properties.deviceIds()) {
            StreamBuffer buffer = new StreamBuffer(properties.buffer().frames(), properties.buffer().audioChunks(),
                    ringSettings(properties.rings()), budget, clock);
            ViewerRegistry viewers = new ViewerRegistry(quota, clock);
            TalkBuffer talk = new TalkBuffer(properties.buffer().audioChunks(), clock);
            ViewerRegistry speakers = new ViewerRegistry(new StreamQuota(MAX_SPEAKER_STREAMS, 0, 0), clock);
            byDevice.put(device, new Channel(device, buffer, viewers, events.of(device), talk, speakers,
                    properties.stream().keepAlive()));
        }
    }

    private static boolean present(@Nullable String token) {
        return token != null && !token.isBlank();
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

    @Override
    public List<String> devices() {
        return List.copyOf(byDevice.keySet());
    }

    @Override
    public StreamBuffer buffer(String device) {
        return get(device).buffer();
    }

    @Override
    public Audience audience(String device) {
        return get(device).viewers();
    }

    @Override
    public TalkBuffer talk(String device) {
        return get(device).talk();
    }

    private static RingSettings ringSettings(DoorcastProperties.Rings rings) {
        return new RingSettings(rings.keep(), rings.clipBefore(), rings.clipAfter(), rings.maxClipFrames());
    }
}
