package dev.doorcast.events;

import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every configured device's events, by device id. */
public final class DeviceEvents {

    private final Map<String, DoorEvents> byDevice = new LinkedHashMap<>();

    public DeviceEvents(List<String> devices, InstantSource clock) {
        long now = clock.millis();
        for (String device : devices) {
            byDevice.put(device, new DoorEvents(device, now));
        }
    }

    /** @throws IllegalArgumentException for a device that is not configured */
    public DoorEvents of(String device) {
        DoorEvents events = byDevice.get(device);
        if (events == null) {
            throw new IllegalArgumentException("no device " + device);
        }
        return events;
    }

    Collection<DoorEvents> all() {
        return byDevice.values();
    }
}
