package dev.doorcast.buffer;

import java.util.List;

/**
 * Each device's buffer, audience and talk buffer, by device id; what ingest, talk and the relay need of the
 * channels.
 */
public interface DeviceStreams {

    /** Every device's id, the default first. */
    List<String> devices();

    StreamBuffer buffer(String device);

    Audience audience(String device);

    /** What viewers say to the device's speaker. */
    TalkBuffer talk(String device);
}
