package dev.doorcast.stream;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Wakes writers that have written nothing for the keep-alive interval, and those whose access link expired
 * (they end their stream), four times per interval; and gives back the places of viewers whose stream never
 * started. One sweep over all viewers costs far less than a timed wait per viewer per frame.
 */
final class KeepAliveSweeper {

    /**
     * A stream's body starts within milliseconds of its headers; one that has not after this long never will
     * (its connection failed on the way from the request to its writer), and its place is given back.
     */
    static final long NEVER_STARTED_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Viewers viewers;
    private final long keepAliveNanos;

    KeepAliveSweeper(Viewers viewers, Duration keepAlive) {
        this.viewers = viewers;
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /** How often {@link #sweep()} should run: four times per keep-alive interval. */
    Duration period() {
        return Duration.ofNanos(Math.max(1, keepAliveNanos / 4));
    }

    void sweep() {
        long now = System.nanoTime();
        for (DeviceViewers device : viewers.all()) {
            sweep(device.viewers(), now, keepAliveNanos);
            sweep(device.speakers(), now, keepAliveNanos);
        }
    }

    /** One registry's sweep at {@code now} ({@link System#nanoTime()}). */
    static void sweep(ViewerRegistry registry, long now, long keepAliveNanos) {
        for (Viewer.Kind kind : Viewer.Kind.values()) {
            for (Viewer viewer : registry.viewers(kind)) {
                if (viewer.neverStarted(now, NEVER_STARTED_NANOS)) {
                    registry.leave(viewer);
                } else if (now - viewer.lastWriteNanos() >= keepAliveNanos || viewer.expired()) {
                    viewer.wake();
                }
            }
        }
    }
}
