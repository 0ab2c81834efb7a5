package dev.doorcast.stream;

import java.io.IOException;
import java.io.OutputStream;

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

    @GetMapping("/api/v1/stream/audio")
    StreamingResponseBody audio(HttpServletResponse response) throws IOException {
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
