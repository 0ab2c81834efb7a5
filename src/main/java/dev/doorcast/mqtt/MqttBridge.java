package dev.doorcast.mqtt;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the broker connection with the application and ends it with a goodbye ({@code offline} on the status
 * topic) when the application stops, after the web server has stopped taking rings.
 */
final class MqttBridge implements SmartLifecycle {

    private final BrokerConnection broker;
    private final MqttOutbox outbox;
    private volatile boolean running;

    MqttBridge(BrokerConnection broker, MqttOutbox outbox) {
        this.broker = broker;
        this.outbox = outbox;
    }

    boolean connected() {
        return broker.connected();
    }

    @Override
    public void start() {
        running = true;
        broker.start();
    }

    @Override
    public void stop() {
        running = false;
        outbox.stop();
        broker.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Below the web server's graceful shutdown (which stops in a higher phase), so that rings end first. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
