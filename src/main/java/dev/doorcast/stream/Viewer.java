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
    public enum Kind {
        /** the live camera */
        VIDEO,
        /** the live microphone */
        AUDIO,
        /** the doorbell's events: rings, online, offline */
        EVENTS,
        /** a ring's recorded clip, which ends by itself */
        CLIP,
        /** the doorbell itself, reading what viewers say to its speaker */
        SPEAKER
    }

    private final Kind kind;
    private final long connectedAt;
    private final long endsAt;
    private final StreamQuota.Lease lease;
    private final long joinedNanos = System.nanoTime();
    private volatile boolean started;
    private volatile @Nullable Thread writer;
    private volatile long lastWriteNanos;
    private volatile long delivered;
    private volatile long skipped;

    Viewer(Kind kind, long connectedAt, long endsAt, StreamQuota.Lease lease) {
        this.kind = kind;
        this.connectedAt = connectedAt;
        this.endsAt = endsAt;
        this.lease = lease;
        this.lastWriteNanos = System.nanoTime();
    }

    public Kind kind() {
        return kind;
    }

    /** Server time it connected, epoch ms. */
    public long connectedAt() {
        return connectedAt;
    }

    /** When its stream must end (the access link it came with expires), epoch ms. */
    public long endsAt() {
        return endsAt;
    }

    /** Whether its time is up: its writer ends the stream at the next wake-up. */
    boolean expired() {
        return endsAt != Long.MAX_VALUE && System.currentTimeMillis() >= endsAt;
    }

    StreamQuota.Lease lease() {
        return lease;
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

    /** Called when its stream's body starts, on the thread that writes it. */
    void started() {
        started = true;
    }

    /**
     * Whether it was admitted at least {@code nanos} ago and its body never started: the connection failed
     * between the headers and the hand-over, and nothing else will ever make it leave.
     */
    boolean neverStarted(long now, long nanos) {
        return !started && now - joinedNanos >= nanos;
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
