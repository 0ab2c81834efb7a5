package dev.doorcast.stream;

import dev.doorcast.device.Channels;
import org.springframework.context.SmartLifecycle;

/**
 * Ends every stream when the application stops, before the web server's graceful shutdown starts waiting
 * for requests to finish: a stream never finishes by itself, so without this, shutdown would wait out
 * its whole timeout. Lifecycles stop in descending phase order, and this one has the highest.
 */
final class EndStreamsOnShutdown implements SmartLifecycle {

    private final Channels channels;
    private volatile boolean running;

    EndStreamsOnShutdown(Channels channels) {
        this.channels = channels;
    }

    @Override
    public void start() {
        channels.all().forEach(channel -> {
            channel.viewers().open();
            channel.speakers().open();
        });
        running = true;
    }

    @Override
    public void stop() {
        channels.all().forEach(channel -> {
            channel.viewers().close();
            channel.speakers().close();
        });
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
