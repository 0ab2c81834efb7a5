package dev.doorcast.stream;

import java.io.IOException;

import dev.doorcast.system.RequestedDevice;
import dev.doorcast.system.StreamClaim;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
class AudioStreamController {

    private final Viewers viewers;

    AudioStreamController(Viewers viewers) {
        this.viewers = viewers;
    }

    @Operation(summary = "The live microphone as an endless stream of raw PCM, or of WAV",
            description = "16 kHz, 16-bit little-endian, mono, described by the X-Sample-Rate, X-Channels and "
                    + "X-Bit-Depth headers; close-delimited. Every chunk from the moment of connecting, in order, "
                    + "each once; 10 ms of silence each second while the doorbell is silent. With format=wav the "
                    + "same samples follow a 44-byte WAV header whose sizes are 0xFFFFFFFF (unknown), which "
                    + "<audio>, ffmpeg and VLC play as they are.",
            responses = @ApiResponse(responseCode = "200", content = {
                    @Content(mediaType = "audio/pcm", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "audio/wav", schema = @Schema(type = "string", format = "binary"))}))
    @GetMapping("/api/v1/stream/audio")
    @Nullable StreamingResponseBody audio(
            @Parameter(description = "pcm (the default) for raw samples, or wav for the same after a WAV header",
                    schema = @Schema(allowableValues = {"pcm", "wav"}))
            @RequestParam(required = false) @Nullable String format,
            @Parameter(name = RequestedDevice.PARAMETER, in = ParameterIn.QUERY, schema = @Schema(type = "string"),
                    description = "the device; the default doorbell when absent") RequestedDevice device,
            @Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) HttpServletResponse response) throws IOException {
        boolean wav = PcmResponse.wav(format);
        DeviceViewers channel = viewers.of(device.id());
        return PcmResponse.open(channel.viewers(), Viewer.Kind.AUDIO, StreamClaim.of(request), channel.pcm(), wav,
                request, response);
    }
}
