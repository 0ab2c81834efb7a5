package dev.doorcast.stream;

import java.io.IOException;
import java.io.OutputStream;

import dev.doorcast.system.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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

    private static final int SAMPLE_RATE = 16_000;
    private static final int CHANNELS = 1;
    private static final int BITS = 16;

    private static final byte[] NO_HEADER = new byte[0];
    private static final byte[] WAV_HEADER = WavHeader.endless(SAMPLE_RATE, CHANNELS, BITS);

    private final Channels channels;

    AudioStreamController(Channels channels) {
        this.channels = channels;
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
    StreamingResponseBody audio(
            @Parameter(description = "pcm (the default) for raw samples, or wav for the same after a WAV header",
                    schema = @Schema(allowableValues = {"pcm", "wav"}))
            @RequestParam(required = false) @Nullable String format,
            @Parameter(description = "the device; the default doorbell when absent")
            @RequestParam(required = false) @Nullable String device,
            @Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) HttpServletResponse response) throws IOException {
        boolean wav = "wav".equals(format);
        if (format != null && !wav && !"pcm".equals(format)) {
            throw ApiException.badRequest("format must be pcm or wav, was " + format);
        }
        Channel channel = channels.get(device);
        ViewerRegistry registry = channel.viewers();
        Viewer listener = registry.join(Viewer.Kind.AUDIO, StreamClaim.of(request));
        response.setHeader("X-Sample-Rate", String.valueOf(SAMPLE_RATE));
        response.setHeader("X-Channels", String.valueOf(CHANNELS));
        response.setHeader("X-Bit-Depth", String.valueOf(BITS));
        OutputStream out = LiveResponse.open(response, wav ? "audio/wav" : "audio/pcm", listener, registry);
        return ignored -> {
            try {
                channel.pcm().stream(listener, out, wav ? WAV_HEADER : NO_HEADER);
            } catch (IOException listenerLeft) {
                // The normal end of a stream.
            } finally {
                registry.leave(listener);
            }
        };
    }
}
