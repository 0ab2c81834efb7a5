package dev.doorcast.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer to an audio chunk the device posted: {@code chunk_id} is the server's number for it,
 * {@code sequence} the device's own {@code X-Sequence}, {@code clients} the listeners connected;
 * {@code stored} is false for a repeat or a late arrival, which is acknowledged but not played.
 */
record ChunkAccepted(
        boolean success,
        @JsonProperty("chunk_id") long chunkId,
        long sequence,
        int size,
        int clients,
        boolean stored) {
}
