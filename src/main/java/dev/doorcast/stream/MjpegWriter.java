package dev.doorcast.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes the camera stream to one viewer until it goes away or the server stops. The viewer always gets
 * the newest frame: frames that arrive while a write is still going are skipped, not queued, so a slow
 * viewer costs the others nothing and holds no more than the one part it is being written. When no new
 * frame comes for the keep-alive interval, the viewer's current frame is sent again, which keeps the
 * picture alive in browsers and finds viewers that left without a word. The opening boundary goes out
 * with the first frame; until then the keep-alive writes blank lines of multipart preamble.
 */
public final class MjpegWriter {

    /**
     * What the keep-alive sends before the first frame: blank lines of multipart preamble, which parsers skip.
     * A kilobyte rather than one line, so that a viewer that stops reading fills its socket and is dropped as
     * stalled within minutes (the kernel send buffer plus the viewer's window, at a kilobyte per keep-alive)
     * even from a doorbell that never sends, rather than after hours at two bytes a second.
     */
    static final byte[] PREAMBLE = blankLines(512);

    private final LiveFeed feed;
    private final ViewerRegistry registry;
    private final long keepAliveNanos;

    public MjpegWriter(LiveFeed feed, ViewerRegistry registry, Duration keepAlive) {
        this.feed = feed;
        this.registry = registry;
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /**
     * Blocks, writing, until the viewer leaves (an {@link IOException}), its access link expires or the server
     * closes.
     *
     * @param minIntervalNanos the least time between two new frames for this viewer ({@code ?fps=}), or 0
     *     for every frame; frames held back by it are the viewer's choice and not counted as skipped
     */
    void stream(Viewer viewer, OutputStream out, long minIntervalNanos) throws IOException {
        try {
            writeUntilGone(viewer, out, minIntervalNanos);
        } catch (IOException e) {
            if (stalled(e)) {
                registry.stalled(viewer);
            }
            throw e;
        }
    }

    private void writeUntilGone(Viewer viewer, OutputStream out, long minIntervalNanos) throws IOException {
        viewer.attach(Thread.currentThread());
        MjpegPart shown = null;
        long lastFreshNanos = System.nanoTime() - minIntervalNanos;
        while (!registry.isClosed() && !viewer.expired()) {
            MjpegPart part = feed.latestPart();
            long now = System.nanoTime();
            long due = lastFreshNanos + minIntervalNanos - now;
            boolean fresh = part != null && (shown == null || part.sequence() > shown.sequence());
            if (fresh && due <= 0) {
                if (shown == null) {
                    out.write(MjpegPart.OPENING);
                } else if (part.sequence() > shown.sequence() + 1 && minIntervalNanos == 0) {
                    registry.skipped(viewer, part.sequence() - shown.sequence() - 1);
                }
                write(out, part);
                lastFreshNanos = System.nanoTime();
                viewer.wrote(lastFreshNanos, true);
                registry.delivered(System.currentTimeMillis() - part.receivedAt());
                shown = part;
            } else if (now - viewer.lastWriteNanos() >= keepAliveNanos) {
                // Repeat what this viewer shows (at ?fps=0.2 that is not the newest). Before the first frame
                // there is nothing to show: blank lines in the multipart preamble, which parsers skip.
                if (shown == null) {
                    out.write(PREAMBLE);
                    out.flush();
                } else {
                    write(out, shown);
                }
                viewer.wrote(System.nanoTime(), false);
            } else if (fresh) {
                // A new frame is here but this viewer asked for fewer: wait out its interval.
                LockSupport.parkNanos(this, due);
            } else {
                // Woken by a new frame, by the keep-alive sweep, or by shutdown.
                LockSupport.park(this);
            }
        }
    }

    private static byte[] blankLines(int count) {
        byte[] lines = new byte[2 * count];
        for (int i = 0; i < lines.length; i += 2) {
            lines[i] = '\r';
            lines[i + 1] = '\n';
        }
        return lines;
    }

    private static void write(OutputStream out, MjpegPart part) throws IOException {
        out.write(part.bytes());
        out.flush();
    }

    /**
     * Tomcat ends a blocking write that made no progress for its connection timeout with an exception whose
     * cause is a {@link SocketTimeoutException}; anything else is a viewer that left.
     */
    static boolean stalled(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
