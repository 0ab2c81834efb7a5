package dev.doorcast.stream;

import org.springframework.context.SmartLifecycle;

/**
 * Ends every stream when the application stops, before the web server's graceful shutdown starts waiting
 * for requests to finish: a stream never finishes by itself, so without this, shutdown would wait out
 * its whole timeout. Lifecycles stop in descending phase order, and this one has the highest.
 */
final class EndStreamsOnShutdown implements SmartLifecycle {

    private final Viewers viewers;
    private volatile boolean running;

    EndStreamsOnShutdown(Viewers viewers) {
        this.viewers = viewers;
    }

    @Override
    public void start() {
        viewers.all().forEach(device -> {
            device.viewers().open();
            device.speakers().open();
        });
        running = true;
    }

    @Override
    public void stop() {
        viewers.all().forEach(device -> {
            device.viewers().close();
            device.speakers().close();
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
