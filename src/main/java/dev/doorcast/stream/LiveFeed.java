package dev.doorcast.stream;

import java.util.concurrent.atomic.AtomicReference;

import dev.doorcast.buffer.AudioChunk;
import dev.doorcast.buffer.BufferListener;
import dev.doorcast.buffer.Frame;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the newest frame and wakes the writers; the frame's stream part is made once, when the first viewer
 * asks for it, for every viewer to share. A doorbell nobody watches costs no part and no copy of its frames.
 * Runs on the device's request thread, so it does nothing that can block.
 */
public final class LiveFeed implements BufferListener {

    private final ViewerRegistry registry;
    private final AtomicReference<@Nullable Frame> latest = new AtomicReference<>();
    private final AtomicReference<@Nullable MjpegPart> part = new AtomicReference<>();

    public LiveFeed(ViewerRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onFrame(Frame frame) {
        // Two device requests may finish out of order; never let an older frame replace a newer one.
        latest.accumulateAndGet(frame, (current, next) ->
                current == null || next.sequence() > current.sequence() ? next : current);
        registry.wakeAll(Viewer.Kind.VIDEO);
    }

    @Override
    public void onAudio(AudioChunk chunk) {
        registry.wakeAll(Viewer.Kind.AUDIO);
    }

    /** The part of the newest frame, or null before the first; made by the first viewer that asks. */
    public @Nullable MjpegPart latestPart() {
        Frame frame = latest.get();
        if (frame == null) {
            return null;
        }
        MjpegPart made = part.get();
        if (made != null && made.sequence() >= frame.sequence()) {
            return made;
        }
        // Viewers asking at once may each make it; one is kept, and they are the same bytes.
        return part.accumulateAndGet(MjpegPart.of(frame), (current, next) ->
                current == null || next.sequence() > current.sequence() ? next : current);
    }
}
