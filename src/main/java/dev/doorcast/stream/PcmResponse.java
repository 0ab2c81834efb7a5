package dev.doorcast.stream;

import java.io.IOException;

import dev.doorcast.system.ApiException;
import dev.doorcast.system.StreamClaim;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A live PCM stream's response, raw or as WAV: the microphone's to its listeners and, the other way round,
 * the talkers' voice to the doorbell's speaker. 16 kHz, 16-bit little-endian, mono, described by headers.
 */
public final class PcmResponse {

    static final int SAMPLE_RATE = 16_000;
    static final int CHANNELS = 1;
    static final int BITS = 16;

    private static final byte[] NO_HEADER = new byte[0];
    private static final byte[] WAV_HEADER = WavHeader.endless(SAMPLE_RATE, CHANNELS, BITS);

    private PcmResponse() {
    }

    /**
     * Whether {@code ?format=} asks for WAV.
     *
     * @throws ApiException 400 for anything but pcm (the default) or wav
     */
    public static boolean wav(@Nullable String format) {
        boolean wav = "wav".equals(format);
        if (format != null && !wav && !"pcm".equals(format)) {
            throw ApiException.badRequest("format must be pcm or wav, was " + format);
        }
        return wav;
    }

    /**
     * Admits a reader, sends the headers at once, and returns the body that writes to it until it leaves.
     *
     * @throws ApiException 503 when the registry is at its limit
     */
    public static @Nullable StreamingResponseBody open(ViewerRegistry registry, Viewer.Kind kind, StreamClaim claim,
            PcmWriter writer, boolean wav, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Viewer reader = registry.join(kind, claim);
        response.setHeader("X-Sample-Rate", String.valueOf(SAMPLE_RATE));
        response.setHeader("X-Channels", String.valueOf(CHANNELS));
        response.setHeader("X-Bit-Depth", String.valueOf(BITS));
        return LiveResponse.open(request, response, wav ? "audio/wav" : "audio/pcm", reader, registry,
                out -> writer.stream(reader, out, wav ? WAV_HEADER : NO_HEADER));
    }
}
