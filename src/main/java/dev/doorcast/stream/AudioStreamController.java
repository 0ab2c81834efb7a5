package dev.doorcast.stream;

import java.io.IOException;

import dev.doorcast.system.ApiException;
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

    private final ViewerRegistry registry;
    private final PcmWriter writer;

    AudioStreamController(ViewerRegistry registry, PcmWriter writer) {
        this.registry = registry;
        this.writer = writer;
    }

    /**
     * The live microphone stream.
     *
     * @param format {@code pcm} (the default) for raw samples, or {@code wav} for the same samples after an
     *     endless WAV header, which {@code <audio>}, ffmpeg and VLC play as they are
     */
    @GetMapping("/api/v1/stream/audio")
    StreamingResponseBody audio(@RequestParam(required = false) @Nullable String format,
            HttpServletResponse response) {
        boolean wav = "wav".equals(format);
        if (format != null && !wav && !"pcm".equals(format)) {
            throw ApiException.badRequest("format must be pcm or wav, was " + format);
        }
        Viewer listener = registry.join(Viewer.Kind.AUDIO);
        response.setHeader("X-Sample-Rate", String.valueOf(SAMPLE_RATE));
        response.setHeader("X-Channels", String.valueOf(CHANNELS));
        response.setHeader("X-Bit-Depth", String.valueOf(BITS));
        return ignored -> {
            try {
                writer.stream(listener, LiveResponse.open(response, wav ? "audio/wav" : "audio/pcm"),
                        wav ? WAV_HEADER : NO_HEADER);
            } catch (IOException listenerLeft) {
                // The normal end of a stream.
            } finally {
                registry.leave(listener);
            }
        };
    }
}
