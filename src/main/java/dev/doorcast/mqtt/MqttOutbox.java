package dev.doorcast.mqtt;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.jspecify.annotations.Nullable;

/**
 * Where a device's thread hands MQTT work: one worker thread and a bounded queue. {@link #offer} returns at
 * once whatever the broker does: a full queue or a broker that is not connected drops the work, counted by
 * {@link Drop reason}; so does a message the client refuses or the broker never acknowledges.
 */
final class MqttOutbox {

    /** Why a message was not delivered; the tag of {@code doorcast_mqtt_dropped_total}. */
    enum Drop {
        /** The queue was full: the broker is slower than what there is to say. */
        QUEUE_FULL("queue_full"),
        /** Not connected to the broker. */
        DISCONNECTED("disconnected"),
        /** The client refused it (too many unacknowledged) or the broker never acknowledged it. */
        FAILED("failed");

        private final String tag;

        Drop(String tag) {
            this.tag = tag;
        }

        String tag() {
            return tag;
        }
    }

    private final ThreadPoolExecutor worker;
    private final AtomicLong published = new AtomicLong();
    private final Map<Drop, AtomicLong> dropped = new EnumMap<>(Drop.class);
    private final IMqttActionListener outcome = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            published.incrementAndGet();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable failure) {
            drop(Drop.FAILED);
        }
    };
    private volatile @Nullable BrokerConnection broker;

    MqttOutbox(int capacity) {
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                Thread.ofVirtual().name("doorcast-mqtt").factory(), new ThreadPoolExecutor.AbortPolicy());
        for (Drop reason : Drop.values()) {
            dropped.put(reason, new AtomicLong());
        }
    }

    /** The connection to send through; set once, as the application starts. Until then all is dropped. */
    void sendThrough(BrokerConnection connection) {
        this.broker = connection;
    }

    /** Runs {@code work} on the worker if connected and there is room; returns at once either way. */
    void offer(Runnable work) {
        BrokerConnection connection = broker;
        if (connection == null || !connection.connected()) {
            drop(Drop.DISCONNECTED);
            return;
        }
        execute(work);
    }

    /**
     * Runs {@code work} first, before whatever is queued (left from a connection that was lost since), which is
     * dropped: what a new connection must say comes before anything else.
     */
    void offerFirst(Runnable work) {
        int stale = worker.getQueue().size();
        worker.getQueue().clear();
        dropped.get(Drop.DISCONNECTED).addAndGet(stale);
        execute(work);
    }

    private void execute(Runnable work) {
        try {
            worker.execute(work);
        } catch (RejectedExecutionException full) {
            drop(Drop.QUEUE_FULL);
        }
    }

    /** On the worker: hands one message to the broker connection. */
    void send(Outgoing message) {
        BrokerConnection connection = broker;
        if (connection == null || !connection.publish(message, outcome)) {
            drop(connection != null && connection.connected() ? Drop.FAILED : Drop.DISCONNECTED);
        }
    }

    void drop(Drop reason) {
        dropped.get(reason).incrementAndGet();
    }

    /** Messages the broker acknowledged. */
    long published() {
        return published.get();
    }

    long dropped(Drop reason) {
        return dropped.get(reason).get();
    }

    /** Lets what is queued (rings taken while the web server shut down) go out for a moment, then stops. */
    void stop() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(2, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
