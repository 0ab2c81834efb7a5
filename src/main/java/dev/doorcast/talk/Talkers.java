package dev.doorcast.talk;

import java.io.IOException;
import java.io.InputStream;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.doorcast.buffer.AudioChunk;
import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.device.Channel;
import dev.doorcast.device.Channels;
import dev.doorcast.ingest.PcmIntake;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.DoorcastProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Who talks through each doorbell's speaker, and the rules a chunk of their voice is taken by: a talk id of
 * the right form, the microphone's own checks ({@link PcmIntake}: size, whole samples, four times real time,
 * repeats and late arrivals by {@code X-Sequence}), and one talker at a time. Each device remembers only its
 * current talker, whose rate and numbers a new talker starts afresh. Every check runs before anything is
 * stored.
 */
@Component
final class Talkers {

    private final Channels channels;
    private final DeviceStreams streams;
    private final PcmIntake intake;
    private final Map<String, Talker> byDevice = new ConcurrentHashMap<>();

    /** A device's current talker, with its own rate and memory of its numbers. */
    private record Talker(String talkId, PcmIntake.Sender sender) {
    }

    /** A chunk of voice taken in: stored, or a repeat or late arrival by its number, which is acknowledged only. */
    record Said(long chunkId, long sequence, int size, int speakers, boolean stored) {
    }

    Talkers(Channels channels, DeviceStreams streams, DoorcastProperties properties, InstantSource clock) {
        this.channels = channels;
        this.streams = streams;
        this.intake = new PcmIntake(Math.toIntExact(properties.limits().maxAudioChunkSize().toBytes()), clock);
    }

    /**
     * Reads, checks and stores one chunk of {@code talkId}'s voice for {@code device}'s speaker.
     *
     * @param body the chunk's PCM, read no further than one byte past the limit
     * @param declaredLength its {@code Content-Length}, -1 when it has none
     * @throws ApiException 400 for a bad talk id, a negative sequence or a chunk that is empty or not whole
     *     samples, 404 for a device that is not configured, 413 past the size limit, 409 with Retry-After while
     *     another talker holds the line, 429 with Retry-After past four times real time
     */
    Said say(String device, String talkId, @Nullable Long sequence, InputStream body, long declaredLength)
            throws IOException {
        if (!TalkBuffer.isTalkId(talkId)) {
            throw ApiException.badRequest("X-Talk-Id must be 8 to 64 letters, digits, '-' or '_' (a random id "
                    + "per press of Talk, such as a UUID)");
        }
        Channel channel = channels.get(device);
        byte[] pcm = intake.read(body, declaredLength, sequence);
        TalkBuffer line = channel.talk();
        requireLine(line, talkId);
        Talker talker = byDevice.compute(channel.device(), (id, current) ->
                current != null && current.talkId().equals(talkId) ? current
                        : new Talker(talkId, intake.sender("This talker")));
        talker.sender().throttle(pcm.length);
        int speakers = streams.speakerStreams(channel.device());
        if (!talker.sender().admit(sequence)) {
            AudioChunk latest = line.latestAudio();
            return new Said(latest == null ? 0 : latest.sequence(), sequence, pcm.length, speakers, false);
        }
        AudioChunk stored = line.add(talkId, pcm, sequence);
        if (stored == null) {
            requireLine(line, talkId);
            throw busy(1);
        }
        return new Said(stored.sequence(), sequence != null ? sequence : stored.sequence(), stored.size(), speakers,
                true);
    }

    private static void requireLine(TalkBuffer line, String talkId) {
        long busyMillis = line.busyFor(talkId);
        if (busyMillis > 0) {
            throw busy((busyMillis + 999) / 1000);
        }
    }

    private static ApiException busy(long retryAfterSeconds) {
        return ApiException.conflict("Someone else is talking",
                "Another viewer is talking through this doorbell; the line is free a second after they stop. "
                        + "Try again in " + retryAfterSeconds + " s", retryAfterSeconds);
    }
}
