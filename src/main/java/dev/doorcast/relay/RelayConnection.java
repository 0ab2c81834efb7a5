package dev.doorcast.relay;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's two connections to Redis, one for commands and one subscribed to every device's channels.
 * Redis being away when this instance starts is retried here every {@code retryDelay}; once both are open
 * the client itself reconnects and resubscribes after any outage. Every (re)connection is told to
 * {@code onConnected} with the commands connection.
 */
final class RelayConnection {

    /** The relay's log lines keep the name operators know them by. */
    private static final Logger log = LoggerFactory.getLogger(RedisRelay.class);

    private final RedisClient client;
    private final RelayCodec codec;
    private final byte[][] channels;
    private final BiConsumer<byte[], byte[]> onMessage;
    private final Consumer<StatefulRedisConnection<byte[], byte[]>> onConnected;
    private final UUID instance;
    private final Duration retryDelay;
    private volatile @Nullable StatefulRedisConnection<byte[], byte[]> commands;
    private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> subscriptions;
    private @Nullable ScheduledExecutorService retries;

    /**
     * @param onMessage each message on a subscribed channel: the channel, then the message
     * @param instance this instance's name, for the log
     */
    RelayConnection(RedisClient client, RelayCodec codec, byte[][] channels, BiConsumer<byte[], byte[]> onMessage,
            Consumer<StatefulRedisConnection<byte[], byte[]>> onConnected, UUID instance, Duration retryDelay) {
        this.client = client;
        this.codec = codec;
        this.channels = channels;
        this.onMessage = onMessage;
        this.onConnected = onConnected;
        this.instance = instance;
        this.retryDelay = retryDelay;
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                StatefulRedisConnection<byte[], byte[]> c = commands;
                if (c != null) {
                    onConnected.accept(c);
                }
            }
        });
    }

    /** The commands connection, null until the first connection and after {@link #stop()}. */
    @Nullable StatefulRedisConnection<byte[], byte[]> commands() {
        return commands;
    }

    /** Whether both connections are up. */
    boolean connected() {
        StatefulRedisConnection<byte[], byte[]> c = commands;
        StatefulRedisPubSubConnection<byte[], byte[]> s = subscriptions;
        return c != null && c.isOpen() && s != null && s.isOpen();
    }

    synchronized void start() {
        retries = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("doorcast-relay-connect").daemon().factory());
        retries.execute(this::connect);
    }

    /**
     * Opens both connections. Once open, the client itself reconnects and resubscribes after any outage;
     * until the first success (Redis down when this instance started) this retries on its own.
     */
    private void connect() {
        StatefulRedisConnection<byte[], byte[]> c = null;
        try {
            c = client.connect(codec);
            StatefulRedisPubSubConnection<byte[], byte[]> pubSub = client.connectPubSub(codec);
            pubSub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] channel, byte[] message) {
                    onMessage.accept(channel, message);
                }
            });
            pubSub.sync().subscribe(channels);
            commands = c;
            subscriptions = pubSub;
            onConnected.accept(c);
            log.info("Relaying through Redis as instance {}", instance);
        } catch (RuntimeException e) {
            if (c != null) {
                c.close();
            }
            log.warn("Redis is not reachable ({}); serving local streams only, trying again in {}",
                    e.getMessage(), retryDelay);
            ScheduledExecutorService scheduler = retries;
            if (scheduler != null && !scheduler.isShutdown()) {
                scheduler.schedule(this::connect, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    synchronized void stop() {
        if (retries != null) {
            retries.shutdownNow();
            retries = null;
        }
        StatefulRedisPubSubConnection<byte[], byte[]> s = subscriptions;
        StatefulRedisConnection<byte[], byte[]> c = commands;
        subscriptions = null;
        commands = null;
        if (s != null) {
            s.close();
        }
        if (c != null) {
            c.close();
        }
    }

    synchronized boolean isRunning() {
        return retries != null;
    }
}
