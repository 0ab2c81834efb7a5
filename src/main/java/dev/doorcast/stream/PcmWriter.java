package dev.doorcast.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import dev.doorcast.buffer.AudioChunk;
import dev.doorcast.buffer.AudioSource;

/**
 * Writes a live PCM stream to one listener (or to the doorbell's speaker, from the talk buffer): every chunk
 * from the moment it joined, in order, each once.
 * A listener that falls far behind jumps forward to the newest chunk rather than hearing ever older sound;
 * what it jumped over is counted as skipped. While the device is silent, a few milliseconds of silence
 * go out each keep-alive interval, so that proxies keep the connection and a listener that left is noticed.
 */
public final class PcmWriter {

    /** How many chunks (64 ms each at the device's size) a listener may lag before it jumps forward. */
    static final int MAX_LAG_CHUNKS = 16;

    /** 10 ms of 16 kHz, 16-bit mono silence. */
    private static final byte[] SILENCE = new byte[320];

    private final AudioSource buffer;
    private final ViewerRegistry registry;
    private final long keepAliveNanos;

    public PcmWriter(AudioSource buffer, ViewerRegistry registry, Duration keepAlive) {
        this.buffer = buffer;
        this.registry = registry;
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /**
     * Blocks, writing, until the listener leaves (an {@link IOException}), its access link expires or the
     * server closes.
     */
    void stream(Viewer viewer, OutputStream out, byte[] header) throws IOException {
        try {
            writeUntilGone(viewer, out, header);
        } catch (IOException e) {
            if (MjpegWriter.stalled(e)) {
                registry.stalled(viewer);
            }
            throw e;
        }
    }

    private void writeUntilGone(Viewer viewer, OutputStream out, byte[] header) throws IOException {
        viewer.attach(Thread.currentThread());
        out.write(header);
        out.flush();
        AudioChunk newest = buffer.latestAudio();
        long played = newest == null ? 0 : newest.sequence();
        while (!registry.isClosed() && !viewer.expired()) {
            AudioChunk next = buffer.audioAfter(played);
            if (next != null) {
                AudioChunk latest = buffer.latestAudio();
                if (latest != null && latest.sequence() - next.sequence() > MAX_LAG_CHUNKS) {
                    next = latest;
                }
                if (next.sequence() > played + 1) {
                    registry.skipped(viewer, next.sequence() - played - 1);
                }
                out.write(next.pcm());
                out.flush();
                viewer.wrote(System.nanoTime(), true);
                played = next.sequence();
            } else if (System.nanoTime() - viewer.lastWriteNanos() >= keepAliveNanos) {
                out.write(SILENCE);
                out.flush();
                viewer.wrote(System.nanoTime(), false);
            } else {
                LockSupport.park(this);
            }
        }
    }
}
