package dev.doorcast.stream;

import java.io.IOException;
import java.io.OutputStream;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
class AudioStreamController {

    private static final byte[] NO_HEADER = new byte[0];

    private final ViewerRegistry registry;
    private final PcmWriter writer;

    AudioStreamController(ViewerRegistry registry, PcmWriter writer) {
        this.registry = registry;
        this.writer = writer;
    }

    @Operation(summary = "The live microphone as an endless stream of raw PCM",
            description = "16 kHz, 16-bit little-endian, mono, described by the X-Sample-Rate, X-Channels and "
                    + "X-Bit-Depth headers; close-delimited. Every chunk from the moment of connecting, in order, "
                    + "each once; 10 ms of silence each second while the doorbell is silent.",
            responses = @ApiResponse(responseCode = "200", content = @Content(mediaType = "audio/pcm",
                    schema = @Schema(type = "string", format = "binary"))))
    @GetMapping("/api/v1/stream/audio")
    StreamingResponseBody audio(@Parameter(hidden = true) HttpServletResponse response) throws IOException {
        Viewer listener = registry.join(Viewer.Kind.AUDIO);
        response.setHeader("X-Sample-Rate", "16000");
        response.setHeader("X-Channels", "1");
        response.setHeader("X-Bit-Depth", "16");
        OutputStream out = LiveResponse.open(response, "audio/pcm", listener, registry);
        return ignored -> {
            try {
                writer.stream(listener, out, NO_HEADER);
            } catch (IOException listenerLeft) {
                // The normal end of a stream.
            } finally {
                registry.leave(listener);
            }
        };
    }
}
