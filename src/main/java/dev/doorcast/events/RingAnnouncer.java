package dev.doorcast.events;

import dev.doorcast.buffer.BufferListener;
import dev.doorcast.buffer.DoorbellRing;

/** Tells every events stream of each ring the buffer keeps, whether it was posted here or relayed. */
final class RingAnnouncer implements BufferListener {

    private final DoorEvents events;

    RingAnnouncer(DoorEvents events) {
        this.events = events;
    }

    @Override
    public void onRing(DoorbellRing ring) {
        events.publish("ring", EventData.ring(events.device(), ring));
    }
}
