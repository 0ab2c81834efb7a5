package dev.doorcast.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes the camera stream to one viewer until it goes away or the server stops. The viewer always gets
 * the newest frame: frames that arrive while a write is still going are skipped, not queued, so a slow
 * viewer costs the others nothing and holds no more than the one part it is being written. When no new
 * frame comes for the keep-alive interval, the newest is sent again, which keeps the picture alive in
 * browsers and finds viewers that left without a word.
 */
final class MjpegWriter {

    private final LiveFeed feed;
    private final ViewerRegistry registry;
    private final long keepAliveNanos;

    MjpegWriter(LiveFeed feed, ViewerRegistry registry, Duration keepAlive) {
        this.feed = feed;
        this.registry = registry;
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /** Blocks, writing, until the viewer leaves (an {@link IOException}) or the server closes. */
    void stream(Viewer viewer, OutputStream out) throws IOException {
        viewer.attach(Thread.currentThread());
        out.write(MjpegPart.OPENING);
        out.flush();
        long sent = 0;
        while (!registry.isClosed()) {
            MjpegPart part = feed.latestPart();
            long now = System.nanoTime();
            if (part != null && part.sequence() > sent) {
                if (sent != 0 && part.sequence() > sent + 1) {
                    registry.skipped(viewer, part.sequence() - sent - 1);
                }
                write(out, part);
                viewer.wrote(System.nanoTime(), true);
                sent = part.sequence();
            } else if (part != null && now - viewer.lastWriteNanos() >= keepAliveNanos) {
                write(out, part);
                viewer.wrote(System.nanoTime(), false);
            } else {
                // Woken by a new frame, by the keep-alive sweep, or by shutdown.
                LockSupport.park(this);
            }
        }
    }

    private static void write(OutputStream out, MjpegPart part) throws IOException {
        out.write(part.bytes());
        out.flush();
    }
}
