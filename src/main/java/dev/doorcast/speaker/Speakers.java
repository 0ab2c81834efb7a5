package dev.doorcast.speaker;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.doorcast.device.Channel;
import dev.doorcast.device.Channels;
import dev.doorcast.system.DoorcastProperties;

/** Every configured doorbell's speaker, each reading its own device's talk buffer. */
public final class Speakers {

    private final Channels channels;
    private final Map<String, Speaker> byDevice = new LinkedHashMap<>();

    public Speakers(Channels channels, DoorcastProperties properties) {
        this.channels = channels;
        for (Channel channel : channels.all()) {
            byDevice.put(channel.device(), new Speaker(channel.talk(), channel.speakers(),
                    properties.stream().keepAlive()));
        }
    }

    /**
     * The speaker of {@code device}.
     *
     * @throws dev.doorcast.system.ApiException 404 for a device that is not configured
     */
    public Speaker of(String device) {
        return byDevice.get(channels.get(device).device());
    }
}
