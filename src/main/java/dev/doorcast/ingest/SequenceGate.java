package dev.doorcast.ingest;

import org.jspecify.annotations.Nullable;

/**
 * Decides from a device's own sequence numbers whether a post is new. A device on a flaky link retries a
 * post that did go through (the same number again), and two posts may overtake each other (a slightly
 * lower number); storing either would play audio twice or step the picture backwards. A much lower
 * number is a device that rebooted and started counting again, and is taken as new.
 */
final class SequenceGate {

    /** How far back a number may be and still count as late rather than as a restart. */
    static final long LATE_WINDOW = 16;

    private @Nullable Long last;

    /** Whether a post with this number should be stored; a post without a number always is. */
    synchronized boolean admit(@Nullable Long sequence) {
        if (sequence == null) {
            return true;
        }
        if (last != null && sequence <= last && sequence > last - LATE_WINDOW) {
            return false;
        }
        last = sequence;
        return true;
    }
}
