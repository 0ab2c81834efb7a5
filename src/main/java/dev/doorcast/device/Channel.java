package dev.doorcast.device;

import dev.doorcast.buffer.DoorbellRings;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.events.DoorEvents;

/**
 * One device's objects that every room shares: its buffer, the rings kept beside it, its events, and the talk buffer that holds what
 * viewers say to its speaker. Who watches and listens is the viewer side's ({@code stream.DeviceViewers}),
 * built from this in {@code stream}, so that {@code device} knows nothing of viewers. Channels share nothing
 * but the memory budget.
 */
public final class Channel {

    private final String device;
    private final StreamBuffer buffer;
    private final DoorbellRings rings;
    private final DoorEvents events;
    private final TalkBuffer talk;

    Channel(String device, StreamBuffer buffer, DoorbellRings rings, DoorEvents events, TalkBuffer talk) {
        this.device = device;
        this.buffer = buffer;
        this.rings = rings;
        this.events = events;
        this.talk = talk;
    }

    public String device() {
        return device;
    }

    public StreamBuffer buffer() {
        return buffer;
    }

    /** The doorbell's last few rings, with their pictures and clips. */
    public DoorbellRings rings() {
        return rings;
    }

    /** The device's last events, and whether it is online. */
    public DoorEvents events() {
        return events;
    }

    /** What viewers say to the doorbell's speaker. */
    public TalkBuffer talk() {
        return talk;
    }
}
