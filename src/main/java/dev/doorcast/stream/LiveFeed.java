package dev.doorcast.stream;

import java.util.concurrent.atomic.AtomicReference;

import dev.doorcast.buffer.AudioChunk;
import dev.doorcast.buffer.BufferListener;
import dev.doorcast.buffer.Frame;
import org.jspecify.annotations.Nullable;

/**
 * Turns each new frame into its stream part once, for every viewer to share, and wakes the writers.
 * Runs on the device's request thread, so it does nothing that can block.
 */
public final class LiveFeed implements BufferListener {

    private final ViewerRegistry registry;
    private final AtomicReference<@Nullable MjpegPart> latest = new AtomicReference<>();

    public LiveFeed(ViewerRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onFrame(Frame frame) {
        MjpegPart part = MjpegPart.of(frame);
        // Two device requests may finish out of order; never let an older frame replace a newer one.
        latest.accumulateAndGet(part, (current, next) ->
                current == null || next.sequence() > current.sequence() ? next : current);
        registry.wakeAll(Viewer.Kind.VIDEO);
    }

    @Override
    public void onAudio(AudioChunk chunk) {
        registry.wakeAll(Viewer.Kind.AUDIO);
    }

    /** The part of the newest frame, or null before the first. */
    public @Nullable MjpegPart latestPart() {
        return latest.get();
    }
}
