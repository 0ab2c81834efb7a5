package dev.doorcast.buffer;

import java.util.List;

/**
 * Each device's buffer, rings, audience and talk buffer, by device id; what ingest, talk and the relay need of the
 * channels and their viewers.
 */
public interface DeviceStreams {

    /** Every device's id, the default first. */
    List<String> devices();

    StreamBuffer buffer(String device);

    /** The doorbell's rings, kept beside its buffer. */
    DoorbellRings rings(String device);

    Audience audience(String device);

    /** What viewers say to the device's speaker. */
    TalkBuffer talk(String device);

    /** How many speaker streams the device has open now: whether anyone hears what a viewer says. */
    int speakerStreams(String device);
}
