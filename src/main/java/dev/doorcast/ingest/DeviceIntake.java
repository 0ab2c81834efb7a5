package dev.doorcast.ingest;

import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.doorcast.buffer.AudioChunk;
import dev.doorcast.buffer.Audience;
import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.DoorbellRing;
import dev.doorcast.buffer.Frame;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.DoorcastProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What a doorbell sends, checked and stored, whichever way it comes: a POST each or the doorbell's link. The
 * same checks, limits and counters for both: JPEG and PCM form, sizes, {@code frame_id} and sequence order,
 * the frame rate, the audio rate, the ring burst. Each device has its own limits and memory of what it sent;
 * devices never throttle or gate each other. Every check runs before anything is stored.
 */
@Component
public final class DeviceIntake {

    /** 2100-01-01 in epoch ms: a capture time beyond it is no clock this device can have. */
    private static final long LATEST_TIMESTAMP = 4_102_444_800_000L;

    private final DeviceStreams streams;
    private final long maxFrameSize;
    private final int maxChunkSize;
    private final String ringBound;
    private final Map<String, Limits> limits = new ConcurrentHashMap<>();
    private final Function<String, Limits> newLimits;

    /** One device's limits and memory of what it sent. */
    private record Limits(RateLimit frameRate, SequenceGate frameIds, PcmIntake.Sender audio, RateLimit rings) {
    }

    /** A frame taken in: stored, or a repeat or late arrival by its number, which is acknowledged only. */
    public record FrameTaken(long frameId, int size, int viewers, boolean stored) {
    }

    /** An audio chunk taken in, with the server's number for the newest chunk. */
    public record ChunkTaken(long chunkId, long sequence, int size, int listeners, boolean stored) {
    }

    /** A ring taken in, and how many events streams it reached at once. */
    public record RingTaken(long ringId, int viewers) {
    }

    public DeviceIntake(DeviceStreams streams, DoorcastProperties properties, InstantSource clock) {
        this.streams = streams;
        this.maxFrameSize = properties.limits().maxFrameSize().toBytes();
        this.maxChunkSize = Math.toIntExact(properties.limits().maxAudioChunkSize().toBytes());
        PcmIntake pcm = new PcmIntake(maxChunkSize, clock);
        int maxDeviceFps = properties.limits().maxDeviceFps();
        DoorcastProperties.Rings rings = properties.rings();
        double ringsPerSecond = 1000.0 / Math.max(1, rings.refill().toMillis());
        this.ringBound = "a burst of " + rings.burst() + ", then one each " + rings.refill().toMillis() + " ms, "
                + "doorcast.rings.burst and doorcast.rings.refill";
        this.newLimits = device -> new Limits(new RateLimit(maxDeviceFps, clock), new SequenceGate(),
                pcm.sender("The device"), new RateLimit(ringsPerSecond, rings.burst(), clock));
    }

    /** The largest frame a device may send, in bytes. */
    public long maxFrameSize() {
        return maxFrameSize;
    }

    /** The largest audio chunk a device may send, in bytes. */
    public int maxChunkSize() {
        return maxChunkSize;
    }

    /**
     * Checks and stores one camera frame.
     *
     * @param deviceId the device's own name for itself, kept as information, never used to route
     * @throws ApiException 400 for a frame that is not a whole JPEG or a bad number, 413 past the size limit,
     *     429 past the frame rate
     */
    public FrameTaken frame(String device, byte[] jpeg, @Nullable String deviceId, @Nullable Long frameId,
            @Nullable Long timestamp) {
        requireNotNegative("frame_id", frameId);
        requireNotNegative("timestamp", timestamp);
        requireBefore2100(timestamp);
        MediaCheck.requireJpeg(jpeg, maxFrameSize);
        Limits intake = limits.computeIfAbsent(device, newLimits);
        Audience audience = streams.audience(device);
        throttle(intake.frameRate(), "frames", "doorcast.limits.max-device-fps");
        if (!intake.frameIds().admit(frameId)) {
            return new FrameTaken(frameId, jpeg.length, audience.viewers(), false);
        }
        Frame stored = streams.buffer(device).addFrame(jpeg, deviceId, frameId, timestamp);
        return new FrameTaken(frameId != null ? frameId : stored.sequence(), stored.size(), audience.viewers(), true);
    }

    /**
     * Checks and stores one chunk of the microphone's PCM.
     *
     * @throws ApiException 400 for a chunk that is empty, not whole samples, or has a negative number, 413 past
     *     the size limit, 429 past four times real time
     */
    public ChunkTaken audio(String device, byte[] pcm, @Nullable Long sequence) {
        PcmIntake.requireSequence(sequence);
        MediaCheck.requirePcm(pcm, maxChunkSize);
        Limits intake = limits.computeIfAbsent(device, newLimits);
        Audience audience = streams.audience(device);
        StreamBuffer buffer = streams.buffer(device);
        intake.audio().throttle(pcm.length);
        if (!intake.audio().admit(sequence)) {
            AudioChunk latest = buffer.latestAudio();
            return new ChunkTaken(latest == null ? 0 : latest.sequence(), sequence, pcm.length,
                    audience.listeners(), false);
        }
        AudioChunk stored = buffer.addAudio(pcm, sequence);
        return new ChunkTaken(stored.sequence(), sequence != null ? sequence : stored.sequence(), stored.size(),
                audience.listeners(), true);
    }

    /**
     * Someone pressed the button: keeps the picture and clip and tells every viewer.
     *
     * @param timestamp the device's clock, kept as information only
     * @throws ApiException 400 for a bad timestamp, 429 past the ring burst
     */
    public RingTaken ring(String device, @Nullable Long timestamp) {
        requireNotNegative("timestamp", timestamp);
        requireBefore2100(timestamp);
        Limits intake = limits.computeIfAbsent(device, newLimits);
        throttle(intake.rings(), "rings", ringBound);
        DoorbellRing ring = streams.rings(device).ring(timestamp);
        return new RingTaken(ring.id(), streams.audience(device).eventStreams());
    }

    private static void throttle(RateLimit limit, String what, String bound) {
        long wait = limit.take(1);
        if (wait > 0) {
            throw ApiException.tooManyRequests("The device sends " + what + " faster than allowed (" + bound
                    + "); try again in " + wait + " s", wait);
        }
    }

    private static void requireBefore2100(@Nullable Long timestamp) {
        if (timestamp != null && timestamp > LATEST_TIMESTAMP) {
            throw ApiException.badRequest("timestamp " + timestamp + " is beyond the year 2100 in milliseconds");
        }
    }

    private static void requireNotNegative(String name, @Nullable Long value) {
        if (value != null && value < 0) {
            throw ApiException.badRequest(name + " must not be negative, was " + value);
        }
    }
}
