package dev.doorcast.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A fresh MQTT client that subscribes to a topic filter and keeps what it receives, with the time it arrived;
 * as Home Assistant would, it gets the retained messages first.
 */
public final class MqttSubscriber implements AutoCloseable {

    /** One message as received, {@code at} in epoch ms. */
    public record Received(String topic, byte[] payload, boolean retained, long at) {

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final MqttClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public MqttSubscriber(String url, String filter) throws MqttException {
        this(url, filter, null, null);
    }

    public MqttSubscriber(String url, String filter, String user, String password) throws MqttException {
        this(url, filter, user, password, "test-" + UUID.randomUUID());
    }

    /** A client that connects with {@code clientId} and subscribes to nothing, taking over that id's session. */
    public static MqttSubscriber withClientId(String url, String clientId) throws MqttException {
        return new MqttSubscriber(url, null, null, null, clientId);
    }

    private MqttSubscriber(String url, String filter, String user, String password, String clientId)
            throws MqttException {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        client.connect(options);
        if (filter == null) {
            return;
        }
        client.subscribe(filter, 1, (topic, message) -> received.add(
                new Received(topic, message.getPayload(), message.isRetained(), System.currentTimeMillis())));
    }

    /** Everything received so far, in order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Everything received so far on {@code topic}, in order. */
    public List<Received> on(String topic) {
        return received.stream().filter(message -> message.topic().equals(topic)).toList();
    }

    /** The last message received on {@code topic}, or null. */
    public Received last(String topic) {
        List<Received> on = on(topic);
        return on.isEmpty() ? null : on.getLast();
    }

    /**
     * The text of the last message on {@code topic}, or null before the first: an assertion on it that an
     * await retries fails as an assertion, never as a NullPointerException that ends the await at once.
     */
    public String lastText(String topic) {
        Received last = last(topic);
        return last == null ? null : last.text();
    }

    /** Publishes as a stranger on the broker would. */
    public void publish(String topic, byte[] payload, boolean retained) throws MqttException {
        client.publish(topic, payload, 1, retained);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
