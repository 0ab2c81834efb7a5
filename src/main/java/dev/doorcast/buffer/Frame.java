package dev.doorcast.buffer;

import org.jspecify.annotations.Nullable;

/**
 * One JPEG frame as the device sent it.
 *
 * @param sequence the buffer's own number for it, from 1, one higher for every frame accepted
 * @param receivedAt server time it arrived, epoch milliseconds
 * @param deviceId the {@code device_id} the device sent, kept as information only
 * @param deviceFrameId the {@code frame_id} the device sent
 * @param captureTimestamp the {@code timestamp} the device sent (its own clock)
 * @param jpeg the bytes exactly as received; never modified after construction, so they are shared
 *     with every viewer rather than copied
 */
public record Frame(
        long sequence,
        long receivedAt,
        @Nullable String deviceId,
        @Nullable Long deviceFrameId,
        @Nullable Long captureTimestamp,
        byte[] jpeg) implements Sequenced {

    public int size() {
        return jpeg.length;
    }
}
