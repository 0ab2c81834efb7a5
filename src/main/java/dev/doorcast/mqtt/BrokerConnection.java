package dev.doorcast.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection to the broker, through Eclipse Paho: connects, and whenever it fails or is lost tries
 * again every {@code reconnect-delay} until the application stops (Paho's own automatic reconnect only
 * starts after a first success, so a broker that is down at start would never be reached). The server's
 * status topic is its last will: the broker says {@code offline} for it when the connection dies, and it says
 * so itself when it stops.
 *
 * <p>It logs the broker's address, its user and what went wrong, once per change; never the password
 * (Paho logs nothing of it either). Messages are kept in memory only: Paho's default would write files into
 * the working directory.
 */
final class BrokerConnection implements MqttCallback {

    private static final Logger log = LoggerFactory.getLogger(BrokerConnection.class);

    static final byte[] ONLINE = "online".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OFFLINE = "offline".getBytes(StandardCharsets.US_ASCII);

    /** What the application does when a connection is made, and when its status is denied. */
    interface Events {

        /** A connection is up (the first or a new one); runs on Paho's thread and must return at once. */
        void connected();

        /** Another client published to the status topic something other than {@code online}. */
        void statusDenied();
    }

    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final String url;
    private final String statusTopic;
    private final Duration retryDelay;
    private final Events events;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("doorcast-mqtt-connect").daemon().factory());
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile boolean connected;
    private volatile boolean closing;
    private @Nullable String lastProblem;

    BrokerConnection(String url, String clientId, @Nullable String username, @Nullable String password,
            String statusTopic, Duration retryDelay, int maxInflight, Events events) throws MqttException {
        this.url = url;
        this.statusTopic = statusTopic;
        this.retryDelay = retryDelay;
        this.events = events;
        this.client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        client.setCallback(this);
        options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        options.setMaxInflight(maxInflight);
        options.setWill(statusTopic, OFFLINE, 1, true);
        if (username != null && !username.isEmpty()) {
            options.setUserName(username);
        }
        if (password != null && !password.isEmpty()) {
            options.setPassword(password.toCharArray());
        }
    }

    void start() {
        log.info("MQTT: connecting to {} as client {}{}", url, client.getClientId(),
                options.getUserName() == null ? "" : ", user " + options.getUserName());
        connect();
    }

    boolean connected() {
        return connected;
    }

    private void connect() {
        if (closing || !connecting.compareAndSet(false, true)) {
            return;
        }
        try {
            client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    connecting.set(false);
                    up();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    connecting.set(false);
                    down("cannot connect to", failure);
                }
            });
        } catch (MqttException | RuntimeException e) {
            connecting.set(false);
            down("cannot connect to", e);
        }
    }

    private void up() {
        synchronized (this) {
            lastProblem = null;
        }
        log.info("MQTT: connected to {}", url);
        try {
            // Only this server's own status, to put "online" back when another instance's last will (or anyone)
            // says "offline" while this one is still here; nothing published there makes doorcast do more.
            client.subscribe(statusTopic, 1, (topic, message) -> {
                if (!Arrays.equals(message.getPayload(), ONLINE) && connected && !closing) {
                    events.statusDenied();
                }
            });
        } catch (MqttException e) {
            log.debug("MQTT: cannot watch {}", statusTopic, e);
        }
        connected = true;
        events.connected();
    }

    private void down(String what, Throwable failure) {
        connected = false;
        if (closing) {
            return;
        }
        String problem = describe(failure);
        boolean news;
        synchronized (this) {
            news = !problem.equals(lastProblem);
            lastProblem = problem;
        }
        if (news) {
            log.warn("MQTT: {} {}: {}; trying again every {} ms", what, url, problem, retryDelay.toMillis());
        } else {
            log.debug("MQTT: {} {}: {}", what, url, problem);
        }
        try {
            retries.schedule(this::connect, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // Stopping.
        }
    }

    private static String describe(Throwable failure) {
        if (failure instanceof MqttException mqtt) {
            Throwable under = mqtt.getCause();
            String cause = under == null ? ""
                    : " (" + (under.getMessage() != null ? under.getMessage() : under.getClass().getSimpleName()) + ")";
            return mqtt.getMessage() + " [" + mqtt.getReasonCode() + "]" + cause;
        }
        return String.valueOf(failure.getMessage());
    }

    /**
     * Hands {@code message} to Paho, which sends it from its own thread; false if it was not taken (not
     * connected, or too many still unacknowledged). {@code done} is told of each taken message's outcome.
     */
    boolean publish(Outgoing message, IMqttActionListener done) {
        if (!connected) {
            return false;
        }
        try {
            client.publish(message.topic(), message.payload(), message.qos(), message.retained(), null, done);
            return true;
        } catch (MqttException | RuntimeException e) {
            log.debug("MQTT: not sent to {}", message.topic(), e);
            return false;
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        down("lost the connection to", cause);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        // Only the status subscription's listener is told of messages.
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }

    /** Says {@code offline} on the status topic (waiting a moment for the broker to take it), then disconnects. */
    void stop() {
        closing = true;
        retries.shutdownNow();
        try {
            if (connected) {
                client.publish(statusTopic, OFFLINE, 1, true).waitForCompletion(2_000);
                client.disconnect(500).waitForCompletion(2_000);
            }
        } catch (MqttException e) {
            log.debug("MQTT: no clean goodbye to {}", url, e);
        }
        connected = false;
        try {
            // Also ends a connection attempt still under way, which close() alone refuses to.
            client.disconnectForcibly(0, 1_000, false);
        } catch (MqttException e) {
            log.debug("MQTT: disconnecting", e);
        }
        try {
            client.close();
        } catch (MqttException e) {
            log.debug("MQTT: closing the client", e);
        }
    }
}
