package dev.doorcast.talk;

import java.io.IOException;

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

    private final Talkers talkers;

    TalkController(Talkers talkers) {
        this.talkers = talkers;
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
        Talkers.Said said = talkers.say(device.id(), talkId, sequence, request.getInputStream(),
                request.getContentLengthLong());
        return new TalkAccepted(true, said.chunkId(), said.sequence(), said.size(), said.speakers(), said.stored());
    }
}
