package dev.doorcast.buffer;

import java.time.Duration;

/**
 * What a device's buffer keeps of each doorbell ring.
 *
 * @param keep how many rings are kept, the oldest forgotten first
 * @param clipBefore how far back before the ring the clip starts (frames still in the frame ring)
 * @param clipAfter how long after the ring frames keep joining the clip
 * @param maxClipFrames most frames one clip holds, whatever the device's frame rate: with {@code keep} and
 *     the largest frame accepted, it bounds the memory rings can take
 */
public record RingSettings(int keep, Duration clipBefore, Duration clipAfter, int maxClipFrames) {

    /** Ten rings, each with the three seconds before and after it, at most 45 frames (7.5 fps). */
    public static final RingSettings DEFAULTS = new RingSettings(10, Duration.ofSeconds(3), Duration.ofSeconds(3), 45);

    public RingSettings {
        if (keep < 1 || maxClipFrames < 2) {
            throw new IllegalArgumentException("keep must be at least 1 and maxClipFrames at least 2");
        }
    }
}
