package dev.doorcast.events;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.StreamBuffer;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Raises each device's events from its buffer: a ring as the buffer keeps it, online with the first frame,
 * offline from a sweep four times a second, so that it is noticed within a quarter second of the threshold.
 */
final class EventSources implements SmartLifecycle {

    private static final long SWEEP_MILLIS = 250;

    private final List<Presence> presences = new ArrayList<>();
    private final InstantSource clock;
    private @Nullable ScheduledExecutorService timer;

    EventSources(DeviceEvents events, DeviceStreams streams, Duration offlineAfter, InstantSource clock) {
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

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("doorcast-presence").daemon().factory());
        timer.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
