package dev.doorcast.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import dev.doorcast.events.DoorEvent;
import dev.doorcast.events.DoorEvents;

/**
 * Writes a device's events to one viewer as server-sent events until it leaves: first whether the doorbell
 * is online now, then every event from the moment it joined, in order, each once. Like the other writers it
 * parks until woken, by a new event or the keep-alive sweep; after each keep-alive interval without an event
 * it writes a comment line, which keeps proxies from closing the connection and finds viewers that left or
 * stopped reading.
 */
public final class EventWriter {

    /** How soon a browser's EventSource should reconnect after losing the stream. */
    private static final byte[] RETRY = "retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * A comment line, which clients skip, of a kilobyte: a viewer that stops reading fills its socket with
     * these and is dropped as stalled within minutes of a quiet doorbell, rather than after hours.
     */
    static final byte[] KEEP_ALIVE = (":" + " ".repeat(1021) + "\n\n").getBytes(StandardCharsets.US_ASCII);

    private final DoorEvents events;
    private final ViewerRegistry registry;
    private final long keepAliveNanos;

    public EventWriter(DoorEvents events, ViewerRegistry registry, Duration keepAlive) {
        this.events = events;
        this.registry = registry;
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /**
     * Blocks, writing, until the viewer leaves (an {@link IOException}), its access link expires or the
     * server closes.
     */
    void stream(Viewer viewer, OutputStream out) throws IOException {
        try {
            writeUntilGone(viewer, out);
        } catch (IOException e) {
            if (MjpegWriter.stalled(e)) {
                registry.stalled(viewer);
            }
            throw e;
        }
    }

    private void writeUntilGone(Viewer viewer, OutputStream out) throws IOException {
        viewer.attach(Thread.currentThread());
        DoorEvents.Start start = events.start();
        out.write(RETRY);
        out.write(start.presence().bytes());
        out.flush();
        viewer.wrote(System.nanoTime(), true);
        long sent = start.sequence();
        while (!registry.isClosed() && !viewer.expired()) {
            DoorEvent next = events.after(sent);
            if (next != null) {
                out.write(next.bytes());
                out.flush();
                viewer.wrote(System.nanoTime(), true);
                sent = next.sequence();
            } else if (System.nanoTime() - viewer.lastWriteNanos() >= keepAliveNanos) {
                out.write(KEEP_ALIVE);
                out.flush();
                viewer.wrote(System.nanoTime(), false);
            } else {
                LockSupport.park(this);
            }
        }
    }
}
