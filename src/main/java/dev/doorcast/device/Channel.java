package dev.doorcast.device;

import java.time.Duration;

import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.events.DoorEvents;
import dev.doorcast.stream.ClipWriter;
import dev.doorcast.stream.EventWriter;
import dev.doorcast.stream.LiveFeed;
import dev.doorcast.stream.MjpegWriter;
import dev.doorcast.stream.PcmWriter;
import dev.doorcast.stream.Viewer;
import dev.doorcast.stream.ViewerRegistry;

/**
 * One device's objects: its buffer, its viewers and their writers, and the way back: the talk buffer that holds
 * what viewers say to its speaker, and the speaker streams that read it ({@code speaker.Speaker} writes
 * them). Channels share nothing but the server-wide viewer limit, so one device's frames never wake another's
 * viewers.
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

    /**
     * @param talk what viewers say to the doorbell; read out to {@code speakers}, which count against their own
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
        buffer.addListener(feed);
        doorEvents.onPublish(() -> viewers.wakeAll(Viewer.Kind.EVENTS));
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

    /** How many speaker streams the doorbell has open now: whether anyone hears what a viewer says. */
    public int speakerStreams() {
        return speakers.count(Viewer.Kind.SPEAKER);
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
