package dev.doorcast.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer to a doorbell ring: {@code ring_id} is its number, by which viewers fetch its picture and clip;
 * {@code viewers} is how many events streams (the viewer pages) it reached at once.
 */
record RingAccepted(boolean success, @JsonProperty("ring_id") long ringId, int viewers) {
}
