package dev.doorcast.talk;

import java.io.IOException;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.doorcast.buffer.AudioChunk;
import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.ingest.PcmIntake;
import dev.doorcast.stream.Channel;
import dev.doorcast.stream.Channels;
import dev.doorcast.stream.Viewer;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.RequestedDevice;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where a viewer's voice comes in for the doorbell's speaker: the microphone's endpoint the other way round,
 * with its rules, and one more: one talker at a time.
 */
@RestController
class TalkController {

    private final Channels channels;
    private final PcmIntake intake;
    private final Map<String, Talker> talkers = new ConcurrentHashMap<>();

    /** A device's current talker, with its own rate and memory of its numbers, which a new talker starts afresh. */
    private record Talker(String talkId, PcmIntake.Sender sender) {
    }

    TalkController(Channels channels, DoorcastProperties properties, InstantSource clock) {
        this.channels = channels;
        this.intake = new PcmIntake(Math.toIntExact(properties.limits().maxAudioChunkSize().toBytes()), clock);
    }

    @Operation(summary = "Say something through the doorbell's speaker: one chunk of 16 kHz 16-bit mono PCM",
            description = "Send the chunks of one press of Talk with the same X-Talk-Id, in order, numbered by "
                    + "X-Sequence. The line belongs to one talk id until a second passes without a chunk from it; "
                    + "another gets 409 with Retry-After meanwhile. Size, sample, rate and repeat rules are the "
                    + "microphone's.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary"))))
    @PostMapping(path = "/api/v1/stream/talk", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    TalkAccepted talk(
            @Parameter(description = "the talker's random id for this press of Talk: 8-64 letters, digits, - or _")
            @RequestHeader("X-Talk-Id") String talkId,
            @Parameter(description = "the talker's chunk counter")
            @RequestHeader(name = "X-Sequence", required = false) @Nullable Long sequence,
            @Parameter(name = RequestedDevice.PARAMETER, in = ParameterIn.QUERY, schema = @Schema(type = "string"),
                    description = "the device; the default doorbell when absent") RequestedDevice device,
            @Parameter(hidden = true) HttpServletRequest request) throws IOException {
        if (!TalkBuffer.isTalkId(talkId)) {
            throw ApiException.badRequest("X-Talk-Id must be 8 to 64 letters, digits, '-' or '_' (a random id "
                    + "per press of Talk, such as a UUID)");
        }
        Channel channel = channels.get(device.id());
        byte[] pcm = intake.read(request, sequence);
        TalkBuffer line = channel.talk();
        requireLine(line, talkId);
        Talker talker = talkers.compute(channel.device(), (id, current) ->
                current != null && current.talkId().equals(talkId) ? current
                        : new Talker(talkId, intake.sender("This talker")));
        talker.sender().throttle(pcm.length);
        int speakers = channel.speakers().count(Viewer.Kind.SPEAKER);
        if (!talker.sender().admit(sequence)) {
            AudioChunk latest = line.latestAudio();
            return new TalkAccepted(true, latest == null ? 0 : latest.sequence(), sequence, pcm.length, speakers, false);
        }
        AudioChunk stored = line.add(talkId, pcm, sequence);
        if (stored == null) {
            requireLine(line, talkId);
            throw busy(1);
        }
        return new TalkAccepted(true, stored.sequence(), sequence != null ? sequence : stored.sequence(),
                stored.size(), speakers, true);
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
