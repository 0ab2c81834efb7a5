package dev.doorcast.device;

import java.io.IOException;
import java.time.Duration;

import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.events.DoorEvents;
import dev.doorcast.stream.ClipWriter;
import dev.doorcast.stream.EventWriter;
import dev.doorcast.stream.LiveFeed;
import dev.doorcast.stream.MjpegWriter;
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
 * One device's live streams: its rings, its viewers and their writers, and the way back: what viewers say
 * to its speaker. Channels share nothing but the
 * server-wide viewer limit, so one device's frames never wake another's viewers.
 */
public final class Channel {

    private final String device;
    private final StreamBuffer buffer;
    private final ViewerRegistry viewers;
    private final LiveFeed feed;
    private final MjpegWriter mjpeg;
    private final PcmWriter pcm;
    private final EventWriter events;
    private final ClipWriter clips;
    private final TalkBuffer talk;
    private final ViewerRegistry speakers;
    private final PcmWriter speaker;

    /**
     * @param talk what viewers say to the doorbell; read out by {@code speakers}, which count against their own
     *     small limit, never the viewers': the doorbell must always get its speaker stream
     */
    Channel(String device, StreamBuffer buffer, ViewerRegistry viewers, DoorEvents doorEvents, TalkBuffer talk,
            ViewerRegistry speakers, Duration keepAlive) {
        this.device = device;
        this.buffer = buffer;
        this.viewers = viewers;
        this.feed = new LiveFeed(viewers);
        this.mjpeg = new MjpegWriter(feed, viewers, keepAlive);
        this.pcm = new PcmWriter(buffer, viewers, keepAlive);
        this.events = new EventWriter(doorEvents, viewers, keepAlive);
        this.clips = new ClipWriter(viewers);
        this.talk = talk;
        this.speakers = speakers;
        this.speaker = new PcmWriter(talk, speakers, keepAlive);
        buffer.addListener(feed);
        doorEvents.onPublish(() -> viewers.wakeAll(Viewer.Kind.EVENTS));
        talk.addListener((chunk, talkId) -> speakers.wakeAll(Viewer.Kind.SPEAKER));
    }

    public String device() {
        return device;
    }

    public StreamBuffer buffer() {
        return buffer;
    }

    public ViewerRegistry viewers() {
        return viewers;
    }

    /** What viewers say to the doorbell's speaker. */
    public TalkBuffer talk() {
        return talk;
    }

    /** The doorbell's own speaker streams (usually one). */
    public ViewerRegistry speakers() {
        return speakers;
    }

    /**
     * The doorbell's speaker stream: what viewers say, as live PCM (or WAV), in order, each chunk once, from
     * the moment it connects; the same writer as the microphone's listeners, reading the talk ring.
     *
     * @param format pcm (the default) or wav
     * @throws dev.doorcast.system.ApiException 400 for another format, 503 past the speaker streams' limit
     */
    public @Nullable StreamingResponseBody speakerStream(@Nullable String format, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        boolean wav = PcmResponse.wav(format);
        // The device is no viewer: not counted per client, and its stream never ends on a link's expiry.
        return PcmResponse.open(speakers, Viewer.Kind.SPEAKER, new StreamClaim("", true, null, Long.MAX_VALUE), speaker,
                wav, request, response);
    }

    /**
     * A speaker that is no stream of its own, such as the doorbell's link: it counts among the speakers, and
     * {@code writer} is woken for every chunk a viewer says. It leaves with {@code speakers().leave(it)}.
     *
     * @throws dev.doorcast.system.ApiException 503 past the speaker streams' limit
     */
    public Viewer speakerJoined(Thread writer) {
        return speakers.joinWriting(Viewer.Kind.SPEAKER, new StreamClaim("", true, null, Long.MAX_VALUE), writer);
    }

    public MjpegWriter mjpeg() {
        return mjpeg;
    }

    public PcmWriter pcm() {
        return pcm;
    }

    public EventWriter events() {
        return events;
    }

    public ClipWriter clips() {
        return clips;
    }
}
