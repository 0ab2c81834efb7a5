package dev.doorcast.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer to a frame the device posted: {@code clients} is how many camera viewers are connected;
 * {@code stored} is false for a repeat or a late arrival by {@code frame_id}, which is acknowledged but not
 * shown (see {@link SequenceGate}).
 */
record FrameAccepted(
        boolean success,
        @JsonProperty("frame_id") long frameId,
        int size,
        int clients,
        boolean stored) {
}
