package dev.doorcast.stream;

import java.time.Duration;

import dev.doorcast.device.Channel;

/**
 * One device's viewer side: its viewers and their writers, fed by the device's buffer and events, and the
 * doorbell's own speaker streams ({@code speaker.Speaker} writes them). Each device has its own, so one device's
 * frames never wake another's viewers; they share only the server-wide viewer limit.
 */
public final class DeviceViewers {

    private final Channel channel;
    private final ViewerRegistry viewers;
    private final LiveFeed feed;
    private final MjpegWriter mjpeg;
    private final PcmWriter pcm;
    private final EventWriter events;
    private final ClipWriter clips;
    private final ViewerRegistry speakers;

    /**
     * @param speakers the doorbell's speaker streams, which count against their own small limit, never the
     *     viewers': the doorbell must always get its speaker stream
     */
    DeviceViewers(Channel channel, ViewerRegistry viewers, ViewerRegistry speakers, Duration keepAlive) {
        this.channel = channel;
        this.viewers = viewers;
        this.feed = new LiveFeed(viewers);
        this.mjpeg = new MjpegWriter(feed, viewers, keepAlive);
        this.pcm = new PcmWriter(channel.buffer(), viewers, keepAlive);
        this.events = new EventWriter(channel.events(), viewers, keepAlive);
        this.clips = new ClipWriter(viewers);
        this.speakers = speakers;
        channel.buffer().addListener(feed);
        channel.events().onPublish(() -> viewers.wakeAll(Viewer.Kind.EVENTS));
    }

    public String device() {
        return channel.device();
    }

    /** The device's buffer, events and talk buffer, which these viewers read. */
    public Channel channel() {
        return channel;
    }

    public ViewerRegistry viewers() {
        return viewers;
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
