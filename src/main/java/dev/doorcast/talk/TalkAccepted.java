package dev.doorcast.talk;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer to a chunk of a viewer's voice, shaped like the microphone's: {@code chunk_id} is the server's
 * number for it, {@code sequence} the talker's {@code X-Sequence}, {@code speakers} how many speaker streams
 * of the doorbell are connected here (0: nobody hears it on this instance); {@code stored} is false for a
 * repeat or a late arrival.
 */
record TalkAccepted(
        boolean success,
        @JsonProperty("chunk_id") long chunkId,
        long sequence,
        int size,
        int speakers,
        boolean stored) {
}
