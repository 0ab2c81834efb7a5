package dev.doorcast.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.doorcast.buffer.DoorbellRing;
import dev.doorcast.buffer.Frame;

/**
 * Writes a ring's clip as a finite MJPEG stream: parts like the live stream's, at the pace the frames came
 * in, and the closing boundary after the last, so that a player knows it ended. A part is completed by the
 * boundary that follows it, which goes out as soon as the next frame is known; the JPEG bytes are the
 * buffer's own, written as they are.
 */
final class ClipWriter {

    private static final byte[] NEXT = ("\r\n--" + MjpegPart.BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = ("\r\n--" + MjpegPart.BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    /** A device that paused does not pause the clip for longer than this. */
    private static final long LONGEST_GAP_MILLIS = 1000;

    private final ViewerRegistry registry;

    ClipWriter(ViewerRegistry registry) {
        this.registry = registry;
    }

    /** Writes the whole clip, waiting for frames still being recorded; returns early if the viewer's time is up. */
    void stream(Viewer viewer, OutputStream out, DoorbellRing ring) throws IOException, InterruptedException {
        Frame frame = ring.awaitFrame(0);
        if (frame == null) {
            out.write(END);
            return;
        }
        out.write(MjpegPart.OPENING);
        for (int i = 0; frame != null; i++) {
            out.write(head(frame));
            out.write(frame.jpeg());
            long writtenAt = System.nanoTime();
            Frame next = ring.awaitFrame(i + 1);
            out.write(next == null ? END : NEXT);
            out.flush();
            viewer.wrote(System.nanoTime(), true);
            if (next == null || registry.isClosed() || viewer.expired()) {
                return;
            }
            long gap = Math.clamp(next.receivedAt() - frame.receivedAt(), 0, LONGEST_GAP_MILLIS);
            long due = writtenAt + TimeUnit.MILLISECONDS.toNanos(gap);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(this, wait);
            }
            frame = next;
        }
    }

    private static byte[] head(Frame frame) {
        return ("Content-Type: image/jpeg\r\n"
                + "Content-Length: " + frame.size() + "\r\n"
                + "X-Timestamp: " + frame.receivedAt() + "\r\n"
                + "X-Sequence: " + frame.sequence() + "\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
