package dev.doorcast.events;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.StreamBuffer;

/**
 * Watches each device's buffer and raises its events: a ring as the buffer keeps it, online with the first frame,
 * offline from a sweep four times a second, so that it is noticed within a quarter second of the threshold.
 */
final class DoorWatch {

    /** How often {@link #sweep()} should run. */
    static final Duration SWEEP_EVERY = Duration.ofMillis(250);

    private final List<Presence> presences = new ArrayList<>();
    private final InstantSource clock;

    DoorWatch(DeviceEvents events, DeviceStreams streams, Duration offlineAfter, InstantSource clock) {
        this.clock = clock;
        for (String device : streams.devices()) {
            StreamBuffer buffer = streams.buffer(device);
            DoorEvents doorEvents = events.of(device);
            Presence presence = new Presence(doorEvents, buffer, offlineAfter);
            buffer.addListener(new RingAnnouncer(doorEvents));
            buffer.addListener(presence);
            presences.add(presence);
        }
    }

    void sweep() {
        long now = clock.millis();
        for (Presence presence : presences) {
            presence.check(now);
        }
    }
}
