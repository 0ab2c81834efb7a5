package dev.doorcast.speaker;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.doorcast.stream.DeviceViewers;
import dev.doorcast.stream.Viewers;
import dev.doorcast.system.DoorcastProperties;

/** Every configured doorbell's speaker, each reading its own device's talk buffer. */
public final class Speakers {

    private final Viewers viewers;
    private final Map<String, Speaker> byDevice = new LinkedHashMap<>();

    public Speakers(Viewers viewers, DoorcastProperties properties) {
        this.viewers = viewers;
        for (DeviceViewers device : viewers.all()) {
            byDevice.put(device.device(), new Speaker(device.channel().talk(), device.speakers(),
                    properties.stream().keepAlive()));
        }
    }

    /**
     * The speaker of {@code device}.
     *
     * @throws dev.doorcast.system.ApiException 404 for a device that is not configured
     */
    public Speaker of(String device) {
        return byDevice.get(viewers.of(device).device());
    }
}
