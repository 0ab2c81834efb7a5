package dev.doorcast.speaker;

import java.io.IOException;
import java.security.Principal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Where the doorbell reads what viewers say, for its speaker. Only the device token gets here, and the token
 * decides the device, as on the device's other endpoints.
 */
@RestController
class SpeakerStreamController {

    private final Speakers speakers;

    SpeakerStreamController(Speakers speakers) {
        this.speakers = speakers;
    }

    @Operation(summary = "What viewers say to the doorbell, as an endless stream of raw PCM, or of WAV",
            description = "The audio stream's form: 16 kHz, 16-bit little-endian, mono, described by X-Sample-Rate, "
                    + "X-Channels and X-Bit-Depth, close-delimited; every chunk from the moment of connecting, in "
                    + "order, each once; 10 ms of silence each second while nobody talks.",
            security = @SecurityRequirement(name = "deviceToken"),
            responses = @ApiResponse(responseCode = "200", content = {
                    @Content(mediaType = "audio/pcm", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "audio/wav", schema = @Schema(type = "string", format = "binary"))}))
    @GetMapping("/api/v1/devices/doorbell/speaker-stream")
    @Nullable StreamingResponseBody speaker(
            @Parameter(description = "pcm (the default) for raw samples, or wav for the same after a WAV header",
                    schema = @Schema(allowableValues = {"pcm", "wav"}))
            @RequestParam(required = false) @Nullable String format,
            @Parameter(hidden = true) Principal device,
            @Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) HttpServletResponse response) throws IOException {
        return speakers.of(device.getName()).stream(format, request, response);
    }
}
