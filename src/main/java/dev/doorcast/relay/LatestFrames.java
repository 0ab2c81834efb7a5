package dev.doorcast.relay;

import java.time.Duration;
import java.util.List;

import dev.doorcast.relay.RelayChannels.Target;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * The catch-up: each device's newest frame, kept in Redis for a few seconds as it is published, so that a
 * viewer who joins on another instance does not wait for the next frame the device posts; fetched on every
 * (re)connection.
 */
final class LatestFrames {

    private final List<Target> targets;
    private final RelayInbox inbox;
    private final Duration ttl;
    private final int longestFrameMessage;

    /** @param longestFrameMessage the longest a frame's message may be: no more of a key is read */
    LatestFrames(List<Target> targets, RelayInbox inbox, Duration ttl, int longestFrameMessage) {
        this.targets = targets;
        this.inbox = inbox;
        this.ttl = ttl;
        this.longestFrameMessage = longestFrameMessage;
    }

    /** Keeps {@code message}, as published on the frame channel, as {@code target}'s newest frame. */
    void keep(StatefulRedisConnection<byte[], byte[]> connection, Target target, byte[] message) {
        // Signed for the frame channel: whoever reads the key checks it as one of its messages.
        connection.async().set(target.latestFrameKey(), message, SetArgs.Builder.px(ttl.toMillis()));
    }

    /**
     * Reads every device's key. It is read with GETRANGE, so a huge value someone SET there never crosses the
     * network whole, and what comes back passes the same checks as a message on the frame channel, allowed to
     * be as old as the key lives.
     */
    void fetch(StatefulRedisConnection<byte[], byte[]> connection) {
        for (Target target : targets) {
            connection.async().getrange(target.latestFrameKey(), 0, longestFrameMessage).thenAccept(bytes -> {
                boolean missing = bytes == null || bytes.length == 0 && bytes != RelayCodec.OVERSIZED;
                if (missing) {
                    // GETRANGE reads a missing key as empty.
                    return;
                }
                inbox.receiveLatestFrame(target, bytes, ttl);
            });
        }
    }
}
