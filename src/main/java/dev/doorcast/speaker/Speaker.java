package dev.doorcast.speaker;

import java.io.IOException;
import java.time.Duration;

import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.stream.PcmResponse;
import dev.doorcast.stream.PcmWriter;
import dev.doorcast.stream.Viewer;
import dev.doorcast.stream.ViewerRegistry;
import dev.doorcast.system.StreamClaim;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * One doorbell's speaker: what viewers say, read out of its talk buffer to its speaker streams, each woken by
 * every chunk a viewer says.
 */
public final class Speaker {

    /** The device is no viewer: not counted per client, and its stream never ends on a link's expiry. */
    private static final StreamClaim DEVICE = new StreamClaim("", true, null, Long.MAX_VALUE);

    private final ViewerRegistry speakers;
    private final PcmWriter writer;

    /**
     * @param talk what viewers say to the doorbell
     * @param speakers its speaker streams, which count against their own small limit, never the viewers'
     */
    Speaker(TalkBuffer talk, ViewerRegistry speakers, Duration keepAlive) {
        this.speakers = speakers;
        this.writer = new PcmWriter(talk, speakers, keepAlive);
        talk.addListener((chunk, talkId) -> speakers.wakeAll(Viewer.Kind.SPEAKER));
    }

    /**
     * The doorbell's speaker stream: what viewers say, as live PCM (or WAV), in order, each chunk once, from
     * the moment it connects; the same writer as the microphone's listeners, reading the talk buffer.
     *
     * @param format pcm (the default) or wav
     * @throws dev.doorcast.system.ApiException 400 for another format, 503 past the speaker streams' limit
     */
    public @Nullable StreamingResponseBody stream(@Nullable String format, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        boolean wav = PcmResponse.wav(format);
        return PcmResponse.open(speakers, Viewer.Kind.SPEAKER, DEVICE, writer, wav, request, response);
    }

    /**
     * A speaker that is no stream of its own, such as the doorbell's link: it counts among the speakers, and
     * {@code writer} is woken for every chunk a viewer says. It leaves with {@link #leave}.
     *
     * @throws dev.doorcast.system.ApiException 503 past the speaker streams' limit
     */
    public Viewer joined(Thread writer) {
        return speakers.joinWriting(Viewer.Kind.SPEAKER, DEVICE, writer);
    }

    /** A speaker joined with {@link #joined} leaves; safe to call twice. */
    public void leave(Viewer speaker) {
        speakers.leave(speaker);
    }
}
