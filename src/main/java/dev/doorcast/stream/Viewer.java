package dev.doorcast.stream;

import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * One connected camera viewer or audio listener: the thread that writes to it, when it was last written
 * to, and what it was sent and had to skip. Only its own writer thread changes the counters; anyone may
 * read them.
 */
public final class Viewer {

    /** What a viewer receives. */
    public enum Kind { VIDEO, AUDIO }

    private final Kind kind;
    private final long connectedAt;
    private volatile @Nullable Thread writer;
    private volatile long lastWriteNanos;
    private volatile long delivered;
    private volatile long skipped;

    Viewer(Kind kind, long connectedAt) {
        this.kind = kind;
        this.connectedAt = connectedAt;
        this.lastWriteNanos = System.nanoTime();
    }

    public Kind kind() {
        return kind;
    }

    /** Server time it connected, epoch ms. */
    public long connectedAt() {
        return connectedAt;
    }

    /** Frames or chunks written to it so far. */
    public long delivered() {
        return delivered;
    }

    /** Frames or chunks it never got because newer ones arrived while it was still busy with older ones. */
    public long skipped() {
        return skipped;
    }

    long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** Called by the writer thread before it first waits, so that {@link #wake()} can reach it. */
    void attach(Thread thread) {
        this.writer = thread;
    }

    void wrote(long nanos, boolean fresh) {
        lastWriteNanos = nanos;
        if (fresh) {
            delivered++;
        }
    }

    void skip(long count) {
        skipped += count;
    }

    /** Lets the writer thread look for something new to write; harmless if it is not waiting. */
    void wake() {
        Thread thread = writer;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
