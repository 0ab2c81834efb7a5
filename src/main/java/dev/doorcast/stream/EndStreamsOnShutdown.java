package dev.doorcast.stream;

import org.springframework.context.SmartLifecycle;

/**
 * Ends every stream when the application stops, before the web server's graceful shutdown starts waiting
 * for requests to finish: a stream never finishes by itself, so without this, shutdown would wait out
 * its whole timeout. Lifecycles stop in descending phase order, and this one has the highest.
 */
final class EndStreamsOnShutdown implements SmartLifecycle {

    private final ViewerRegistry registry;
    private volatile boolean running;

    EndStreamsOnShutdown(ViewerRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void start() {
        registry.open();
        running = true;
    }

    @Override
    public void stop() {
        registry.close();
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
