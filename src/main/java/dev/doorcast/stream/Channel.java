package dev.doorcast.stream;

import java.time.Duration;

import dev.doorcast.buffer.StreamBuffer;

/**
 * One device's live streams: its rings, its viewers and their writers. Channels share nothing but the
 * server-wide viewer limit, so one device's frames never wake another's viewers.
 */
public final class Channel {

    private final String device;
    private final StreamBuffer buffer;
    private final ViewerRegistry viewers;
    private final LiveFeed feed;
    private final MjpegWriter mjpeg;
    private final PcmWriter pcm;

    Channel(String device, StreamBuffer buffer, ViewerRegistry viewers, Duration keepAlive) {
        this.device = device;
        this.buffer = buffer;
        this.viewers = viewers;
        this.feed = new LiveFeed(viewers);
        this.mjpeg = new MjpegWriter(feed, viewers, keepAlive);
        this.pcm = new PcmWriter(buffer, viewers, keepAlive);
        buffer.addListener(feed);
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

    MjpegWriter mjpeg() {
        return mjpeg;
    }

    PcmWriter pcm() {
        return pcm;
    }
}
