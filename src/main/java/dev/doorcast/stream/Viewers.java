package dev.doorcast.stream;

import java.time.InstantSource;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.doorcast.buffer.Audience;
import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.DoorbellRings;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.device.Channel;
import dev.doorcast.device.Channels;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.DoorcastProperties;
import org.jspecify.annotations.Nullable;

/**
 * Every configured device's viewer side ({@link DeviceViewers}), by device id, built once from
 * {@link Channels}. Viewers of all devices count against one limit ({@link StreamQuota}). This is also the
 * {@link DeviceStreams} that ingest, talk, the relay and the other rooms see: a device's buffer and talk buffer
 * from its channel, its audience from here.
 */
public final class Viewers implements DeviceStreams {

    /**
     * Speaker streams one device may hold at once: its one, and a few more while it reconnects before the
     * server has noticed that the old connection is gone.
     */
    static final int MAX_SPEAKER_STREAMS = 4;

    private final Channels channels;
    private final Map<String, DeviceViewers> byDevice = new LinkedHashMap<>();

    public Viewers(Channels channels, DoorcastProperties properties, InstantSource clock) {
        this.channels = channels;
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
        for (Channel channel : channels.all()) {
            ViewerRegistry viewers = new ViewerRegistry(quota, clock);
            ViewerRegistry speakers = new ViewerRegistry(new StreamQuota(MAX_SPEAKER_STREAMS, 0, 0), clock);
            byDevice.put(channel.device(), new DeviceViewers(channel, viewers, speakers,
                    properties.stream().keepAlive()));
        }
    }

    private static boolean present(@Nullable String token) {
        return token != null && !token.isBlank();
    }

    /**
     * The viewer side of {@code device}, the default device's when null.
     *
     * @throws ApiException 404 for a device that is not configured
     */
    public DeviceViewers of(@Nullable String device) {
        return byDevice.get(channels.get(device).device());
    }

    public Collection<DeviceViewers> all() {
        return byDevice.values();
    }

    @Override
    public List<String> devices() {
        return channels.devices();
    }

    @Override
    public StreamBuffer buffer(String device) {
        return channels.get(device).buffer();
    }

    @Override
    public DoorbellRings rings(String device) {
        return channels.get(device).rings();
    }

    @Override
    public Audience audience(String device) {
        return of(device).viewers();
    }

    @Override
    public TalkBuffer talk(String device) {
        return channels.get(device).talk();
    }

    @Override
    public int speakerStreams(String device) {
        return of(device).speakerStreams();
    }
}
