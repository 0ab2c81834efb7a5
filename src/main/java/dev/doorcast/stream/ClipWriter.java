package dev.doorcast.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.doorcast.buffer.Frame;
import org.jspecify.annotations.Nullable;

/**
 * Writes a ring's clip as a finite MJPEG stream: parts like the live stream's, at the pace the frames came
 * in, and the closing boundary after the last, so that a player knows it ended. A part is completed by the
 * boundary that follows it, which goes out as soon as the next frame is known; the JPEG bytes are the
 * buffer's own, written as they are.
 */
public final class ClipWriter {

    private static final byte[] NEXT = ("\r\n--" + MjpegPart.BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII);
    /**
     * The close delimiter, and nothing after it: RFC 2046 makes the line break that would follow optional,
     * and ffmpeg takes one after it for the start of another part it then finds broken.
     */
    private static final byte[] END = ("\r\n--" + MjpegPart.BOUNDARY + "--").getBytes(StandardCharsets.US_ASCII);
    /** A device that paused does not pause the clip for longer than this. */
    private static final long LONGEST_GAP_MILLIS = 1000;

    private final ViewerRegistry registry;

    public ClipWriter(ViewerRegistry registry) {
        this.registry = registry;
    }

    /** The clip's frames one by one, waiting for those still being recorded; null after the last. */
    @FunctionalInterface
    interface Frames {
        @Nullable Frame get(int index) throws InterruptedException;
    }

    /** A recorded clip's frames, which are all there is. */
    static Frames of(List<Frame> frames) {
        return index -> index < frames.size() ? frames.get(index) : null;
    }

    /**
     * The exact length of the stream {@link #stream} writes for these frames: a finished clip is sent with
     * its {@code Content-Length}, so that a player knows it got all of it rather than guess from the
     * connection closing (ffmpeg reports a close-delimited body as "ends prematurely").
     */
    static long length(List<Frame> frames) {
        if (frames.isEmpty()) {
            return END.length;
        }
        long length = MjpegPart.OPENING.length + (long) (frames.size() - 1) * NEXT.length + END.length;
        for (Frame frame : frames) {
            length += head(frame).length + frame.size();
        }
        return length;
    }

    /** Writes the whole clip at its pace; returns early if the viewer's time is up or the server stops. */
    void stream(Viewer viewer, OutputStream out, Frames frames) throws IOException, InterruptedException {
        Frame frame = frames.get(0);
        if (frame == null) {
            out.write(END);
            out.flush();
            return;
        }
        out.write(MjpegPart.OPENING);
        for (int i = 0; frame != null; i++) {
            out.write(head(frame));
            out.write(frame.jpeg());
            long writtenAt = System.nanoTime();
            Frame next = frames.get(i + 1);
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
