package dev.doorcast.relay;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.doorcast.buffer.AudioChunk;
import dev.doorcast.buffer.BufferListener;
import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.DoorbellRing;
import dev.doorcast.buffer.Frame;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.buffer.TalkListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The relay between instances. Every frame, chunk and ring a device posts here, and every chunk of voice a
 * viewer here says to it, is published once to Redis (and the newest frame kept there for a few seconds, for
 * viewers who join on another instance); every message from another instance goes into the local buffer
 * or talk ring, in the order Redis delivered it. A relayed ring keeps its number and time, and takes this
 * instance's frames for its picture and clip; a relayed voice chunk holds the line here for its talker.
 *
 * <p>Redis being away never reaches a device's POST: publishing is asynchronous, and the client rejects
 * commands at once while disconnected instead of queueing them, so nothing piles up in memory and no
 * burst of stale frames pours out on return. The client reconnects by itself at a fixed, short delay and
 * resubscribes; on every (re)connection the newest frame is fetched again.
 *
 * <p>Nothing from Redis is trusted: every message is signed with the relay's secret for the channel it is
 * published on, and {@link RelayGate} checks it (length, signature, age, media, replay) before it may touch
 * a buffer; what fails is dropped and counted in {@link Rejections}.
 */
final class RedisRelay implements SmartLifecycle, RelayState {

    private static final Logger log = LoggerFactory.getLogger(RedisRelay.class);

    private static final byte[] NOTHING = new byte[0];

    /** Set while a relayed message is added to the buffer, so that it is not published back. */
    private static final ThreadLocal<Boolean> RELAYING = ThreadLocal.withInitial(() -> false);

    /** One device's names in Redis, its local buffer and its talk ring. */
    private record Target(String device, StreamBuffer buffer, TalkBuffer talk, byte[] frameChannel,
            byte[] audioChannel, byte[] ringChannel, byte[] talkChannel, byte[] latestFrameKey) {

        static Target of(String device, StreamBuffer buffer, TalkBuffer talk) {
            return new Target(device, buffer, talk, name(device, "frames"), name(device, "audio"),
                    name(device, "rings"), name(device, "talk"), name(device, "latest-frame"));
        }

        private static byte[] name(String device, String what) {
            return ("doorcast:" + device + ":" + what).getBytes(StandardCharsets.UTF_8);
        }

        Stream<byte[]> channels() {
            return Stream.of(frameChannel, audioChannel, ringChannel, talkChannel);
        }
    }

    /** Where a channel's messages go, and the one kind it carries. */
    private record Route(Target target, byte[] channel, byte kind) {
    }

    private final RedisClient client;
    private final List<Target> targets = new ArrayList<>();
    private final Map<String, Route> byChannel = new HashMap<>();
    private final UUID instance;
    private final RelayKey key;
    private final RelayGate gate;
    private final Rejections rejections;
    private final RelayCodec codec;
    private final int longestFrameMessage;
    private final Duration latestFrameTtl;
    private final Duration retryDelay;
    private final AtomicLong serials = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicLong relayedIn = new AtomicLong();
    private volatile @Nullable StatefulRedisConnection<byte[], byte[]> commands;
    private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> subscriptions;
    private volatile boolean listening;
    private @Nullable ScheduledExecutorService retries;

    /**
     * @param instance this instance's name in its messages, new at every start
     * @param maxFrameSize the largest frame a device may post, and so the largest relayed
     * @param maxAudioChunkSize the same for audio chunks
     */
    RedisRelay(RedisClient client, DeviceStreams streams, UUID instance, RelayKey key, InstantSource clock,
            long maxFrameSize, long maxAudioChunkSize, Duration latestFrameTtl, Duration retryDelay) {
        this.client = client;
        for (String device : streams.devices()) {
            Target target = Target.of(device, streams.buffer(device), streams.talk(device));
            targets.add(target);
            route(target, target.frameChannel(), RelayMessage.FRAME);
            route(target, target.audioChannel(), RelayMessage.AUDIO);
            route(target, target.ringChannel(), RelayMessage.RING);
            route(target, target.talkChannel(), RelayMessage.TALK);
        }
        this.instance = instance;
        this.key = key;
        this.rejections = new Rejections(clock);
        this.gate = new RelayGate(key, instance, clock, maxFrameSize, maxAudioChunkSize, latestFrameTtl);
        this.longestFrameMessage = Math.toIntExact(RelayMessage.OVERHEAD + maxFrameSize);
        this.codec = new RelayCodec(Math.toIntExact(RelayMessage.OVERHEAD
                + Math.max(maxFrameSize, TalkPayload.maxLength(maxAudioChunkSize))));
        this.latestFrameTtl = latestFrameTtl;
        this.retryDelay = retryDelay;
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection, SocketAddress address) {
                fetchLatestFrames();
            }
        });
    }

    private void route(Target target, byte[] channel, byte kind) {
        byChannel.put(new String(channel, StandardCharsets.UTF_8), new Route(target, channel, kind));
    }

    private void publish(byte[] channel, byte[] message) {
        StatefulRedisConnection<byte[], byte[]> connection = commands;
        if (connection == null || !connection.isOpen()) {
            publishFailures.incrementAndGet();
            return;
        }
        connection.async().publish(channel, message).whenComplete((receivers, failure) -> {
            if (failure == null) {
                published.incrementAndGet();
            } else {
                publishFailures.incrementAndGet();
            }
        });
    }

    /** Publishes what a device posted here, once per frame or chunk, whoever is watching where. */
    private BufferListener publisher(Target target) {
        return new BufferListener() {
            @Override
            public void onFrame(Frame frame) {
                if (!RELAYING.get()) {
                    byte[] message = new RelayMessage(RelayMessage.FRAME, instance, serials.incrementAndGet(),
                            frame.receivedAt(), frame.deviceFrameId(), frame.jpeg())
                            .seal(key, target.frameChannel());
                    publish(target.frameChannel(), message);
                    StatefulRedisConnection<byte[], byte[]> connection = commands;
                    if (connection != null && connection.isOpen()) {
                        // Signed for the frame channel: whoever reads the key checks it as one of its messages.
                        connection.async().set(target.latestFrameKey(), message,
                                SetArgs.Builder.px(latestFrameTtl.toMillis()));
                    }
                }
            }

            @Override
            public void onAudio(AudioChunk chunk) {
                if (!RELAYING.get()) {
                    publish(target.audioChannel(), new RelayMessage(RelayMessage.AUDIO, instance,
                            serials.incrementAndGet(), chunk.receivedAt(), chunk.deviceSequence(), chunk.pcm())
                            .seal(key, target.audioChannel()));
                }
            }

            @Override
            public void onRing(DoorbellRing ring) {
                if (!RELAYING.get()) {
                    publish(target.ringChannel(), new RelayMessage(RelayMessage.RING, instance,
                            serials.incrementAndGet(), ring.time(), ring.id(), NOTHING)
                            .seal(key, target.ringChannel()));
                }
            }
        };
    }

    /** Publishes what viewers here say to the device, whichever instance its speaker stream is on. */
    private TalkListener talker(Target target) {
        return (chunk, talkId) -> {
            if (!RELAYING.get()) {
                publish(target.talkChannel(), new RelayMessage(RelayMessage.TALK, instance, serials.incrementAndGet(),
                        chunk.receivedAt(), chunk.deviceSequence(), new TalkPayload(talkId, chunk.pcm()).encode())
                        .seal(key, target.talkChannel()));
            }
        };
    }

    private void receive(byte[] channel, byte[] bytes) {
        Route route = byChannel.get(new String(channel, StandardCharsets.UTF_8));
        if (route == null) {
            return;
        }
        switch (gate.check(bytes, route.channel(), route.kind(), Duration.ZERO)) {
            case Verdict.Take(RelayMessage message) -> {
                if (gate.firstTime(message)) {
                    add(route.target(), message);
                } else {
                    rejections.add(Rejection.REPLAYED);
                }
            }
            case Verdict.Drop(Rejection reason) -> rejections.add(reason);
            case Verdict.Own() -> {
            }
        }
    }

    private void add(Target target, RelayMessage message) {
        RELAYING.set(true);
        try {
            switch (message.kind()) {
                case RelayMessage.FRAME ->
                        target.buffer().addFrame(message.payload(), null, message.deviceNumber(), null);
                case RelayMessage.AUDIO -> target.buffer().addAudio(message.payload(), message.deviceNumber());
                case RelayMessage.RING -> target.buffer().addRing(message.deviceNumber(), message.receivedAt());
                default -> {
                    // The gate checked the talk id's form. Another talker holding the line here (both began
                    // within the few milliseconds a chunk takes to cross) drops the chunk, as it would a POST.
                    TalkPayload voice = TalkPayload.decode(message.payload());
                    target.talk().add(voice.talkId(), voice.pcm(), message.deviceNumber());
                }
            }
            relayedIn.incrementAndGet();
        } finally {
            RELAYING.set(false);
        }
    }

    /**
     * A viewer who joins here should not wait for the next frame the device posts elsewhere. The key is
     * read with GETRANGE, so a huge value someone SET there never crosses the network whole, and what comes
     * back passes the same checks as a message on the frame channel, allowed to be as old as the key lives.
     */
    private void fetchLatestFrames() {
        StatefulRedisConnection<byte[], byte[]> connection = commands;
        if (connection == null) {
            return;
        }
        for (Target target : targets) {
            connection.async().getrange(target.latestFrameKey(), 0, longestFrameMessage).thenAccept(bytes -> {
                boolean missing = bytes == null || bytes.length == 0 && bytes != RelayCodec.OVERSIZED;
                if (missing) {
                    // GETRANGE reads a missing key as empty.
                    return;
                }
                switch (gate.check(bytes, target.frameChannel(), RelayMessage.FRAME, latestFrameTtl)) {
                    case Verdict.Take(RelayMessage message) -> {
                        Frame local = target.buffer().latestFrame();
                        // The key repeats a message of the channel: one taken already is no replay attack.
                        if ((local == null || message.receivedAt() > local.receivedAt()) && gate.firstTime(message)) {
                            add(target, message);
                        }
                    }
                    case Verdict.Drop(Rejection reason) -> rejections.add(reason);
                    case Verdict.Own() -> {
                    }
                }
            });
        }
    }

    /** Whether both connections to Redis are up. */
    boolean connected() {
        StatefulRedisConnection<byte[], byte[]> c = commands;
        StatefulRedisPubSubConnection<byte[], byte[]> s = subscriptions;
        return c != null && c.isOpen() && s != null && s.isOpen();
    }

    @Override
    public String state() {
        return connected() ? "UP" : "DOWN";
    }

    long published() {
        return published.get();
    }

    long publishFailures() {
        return publishFailures.get();
    }

    long relayedIn() {
        return relayedIn.get();
    }

    long rejected(Rejection reason) {
        return rejections.count(reason);
    }

    @Override
    public synchronized void start() {
        if (!listening) {
            targets.forEach(target -> {
                target.buffer().addListener(publisher(target));
                target.talk().addListener(talker(target));
            });
            listening = true;
        }
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
                    receive(channel, message);
                }
            });
            pubSub.sync().subscribe(targets.stream().flatMap(Target::channels).toArray(byte[][]::new));
            commands = c;
            subscriptions = pubSub;
            fetchLatestFrames();
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

    @Override
    public synchronized void stop() {
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

    @Override
    public synchronized boolean isRunning() {
        return retries != null;
    }
}
