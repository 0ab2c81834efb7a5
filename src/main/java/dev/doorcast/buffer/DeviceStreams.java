package dev.doorcast.buffer;

import java.util.List;

/** Each device's buffer and audience, by device id; what ingest and the relay need of the channels. */
public interface DeviceStreams {

    /** Every device's id, the default first. */
    List<String> devices();

    StreamBuffer buffer(String device);

    Audience audience(String device);
}
