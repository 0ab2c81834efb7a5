package dev.doorcast.stats;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.doorcast.buffer.BufferStats;
import dev.doorcast.link.DoorbellLinks;
import dev.doorcast.stream.ViewerRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The numbers of {@code GET /api/v1/stream/stats}: the original API's fields with their names kept, plus
 * the ones it lacked. {@code framesDropped} and {@code audioChunksDropped} are what viewers missed;
 * ring overwrites, which are normal, are {@code framesEvicted} and {@code audioChunksEvicted}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record StreamStats(
        long framesReceived,
        long audioChunksReceived,
        long framesDropped,
        long audioChunksDropped,
        long viewersStalled,
        long framesEvicted,
        long audioChunksEvicted,
        int videoClientsConnected,
        int audioClientsConnected,
        int currentFrames,
        int currentAudioChunks,
        BufferUsage bufferUsage,
        StreamActive streamActive,
        @Nullable Long lastFrameTime,
        @Nullable Long lastAudioTime,
        long serverTime,
        long bytesReceived,
        Link link,
        Map<String, String> definitions) {

    record BufferUsage(String frames, String audio) {
    }

    record StreamActive(boolean video, boolean audio) {
    }

    /** Whether the doorbell is on its link or posts, since when, and the link's last ping's round trip. */
    record Link(boolean connected, @Nullable Long since, @Nullable Long roundTripMs) {

        static Link of(DoorbellLinks.State state) {
            return state.connected()
                    ? new Link(true, state.since(), state.roundTripMillis() < 0 ? null : state.roundTripMillis())
                    : new Link(false, null, null);
        }
    }

    private static final Map<String, String> DEFINITIONS = describe();

    static StreamStats of(BufferStats buffer, ViewerRegistry viewers, DoorbellLinks.State link, long now,
            Duration activeWithin) {
        return new StreamStats(
                buffer.framesReceived(),
                buffer.audioChunksReceived(),
                viewers.framesSkipped(),
                viewers.audioChunksSkipped(),
                viewers.viewersStalled(),
                buffer.framesEvicted(),
                buffer.audioChunksEvicted(),
                viewers.viewers(),
                viewers.listeners(),
                buffer.currentFrames(),
                buffer.currentAudioChunks(),
                new BufferUsage(buffer.currentFrames() + "/" + buffer.frameCapacity(),
                        buffer.currentAudioChunks() + "/" + buffer.audioCapacity()),
                new StreamActive(recent(buffer.lastFrameTime(), now, activeWithin),
                        recent(buffer.lastAudioTime(), now, activeWithin)),
                buffer.lastFrameTime(),
                buffer.lastAudioTime(),
                now,
                buffer.bytesReceived(),
                Link.of(link),
                DEFINITIONS);
    }

    private static boolean recent(@Nullable Long time, long now, Duration within) {
        return time != null && now - time <= within.toMillis();
    }

    private static Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("framesDropped", "frames that camera viewers, summed over viewers, never got because a newer "
                + "frame arrived while they were still receiving an older one");
        d.put("audioChunksDropped", "audio chunks that listeners, summed over listeners, skipped because they "
                + "fell behind");
        d.put("viewersStalled", "viewers and listeners disconnected because their connection took no bytes for "
                + "the server's connection timeout (a frozen app, a network gone quiet)");
        d.put("framesEvicted", "frames overwritten in the ring by newer ones; normal once the ring is full");
        d.put("audioChunksEvicted", "audio chunks overwritten in the ring by newer ones; normal once it is full");
        d.put("streamActive", "whether the device sent a frame (video) or chunk (audio) in the last few seconds");
        d.put("lastFrameTime", "server time the newest frame arrived, epoch milliseconds; null before the first");
        d.put("lastAudioTime", "server time the newest audio chunk arrived, epoch milliseconds; null before the first");
        d.put("link", "whether the doorbell is on its link (one WebSocket for everything) rather than posting, since "
                + "when (epoch ms), and the round trip of the link's last ping in ms (null before the first answer)");
        d.put("serverTime", "server time these numbers were taken, epoch milliseconds; a client subtracts "
                + "lastFrameTime from it for the age of the newest frame, whatever its own clock says");
        return Collections.unmodifiableMap(d);
    }
}
