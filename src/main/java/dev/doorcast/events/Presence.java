package dev.doorcast.events;

import java.time.Duration;

import dev.doorcast.buffer.BufferListener;
import dev.doorcast.buffer.Frame;
import dev.doorcast.buffer.StreamBuffer;

/**
 * Whether a device is sending, by its frames, as health and stats judge it: {@code online} with the first
 * frame after a silence (at once, on the thread that stored it), {@code offline} when a sweep finds no frame
 * for {@code doorcast.presence.offline-after}.
 */
final class Presence implements BufferListener {

    private final DoorEvents events;
    private final StreamBuffer buffer;
    private final long offlineAfterMillis;
    private volatile boolean online;

    Presence(DoorEvents events, StreamBuffer buffer, Duration offlineAfter) {
        this.events = events;
        this.buffer = buffer;
        this.offlineAfterMillis = offlineAfter.toMillis();
    }

    @Override
    public void onFrame(Frame frame) {
        if (!online) {
            synchronized (this) {
                if (!online) {
                    online = true;
                    events.publish("online", EventData.presence(events.device(), frame.receivedAt()));
                }
            }
        }
    }

    /** Turns offline if the newest frame is older than the threshold at {@code now}. */
    synchronized void check(long now) {
        Frame last = buffer.latestFrame();
        if (online && (last == null || now - last.receivedAt() > offlineAfterMillis)) {
            online = false;
            events.publish("offline", EventData.presence(events.device(), now));
        }
    }
}
