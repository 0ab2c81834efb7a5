package dev.doorcast.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer to a frame the device posted; {@code clients} is how many camera viewers are connected. */
record FrameAccepted(
        boolean success,
        @JsonProperty("frame_id") long frameId,
        int size,
        int clients) {
}
