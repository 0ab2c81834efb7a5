package dev.doorcast.relay;

import java.time.Duration;
import java.time.InstantSource;
import java.util.UUID;

import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.relay.RelayChannels.Route;
import dev.doorcast.relay.RelayChannels.Target;
import io.lettuce.core.RedisClient;
import org.springframework.context.SmartLifecycle;

/**
 * The relay between instances. Every frame, chunk and ring a device posts here, and every chunk of voice a
 * viewer here says to it, is published once to Redis (and the newest frame kept there for a few seconds, for
 * viewers who join on another instance); every message from another instance goes into the local buffer
 * or talk buffer, in the order Redis delivered it. A relayed ring keeps its number and time, and takes this
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
 *
 * <p>Each job has its class: {@link RelayChannels} names the channels and routes their messages,
 * {@link RelayPublisher} publishes, {@link RelayInbox} checks and adds what comes in, {@link LatestFrames}
 * keeps and fetches the newest frame, {@link RelayConnection} holds the connections. This one puts them
 * together, and starts and stops them with the application.
 */
final class RedisRelay implements SmartLifecycle, RelayState {

    private final RelayChannels channels;
    private final RelayInbox inbox;
    private final RelayPublisher publisher;
    private final RelayConnection connection;
    private boolean listening;

    /**
     * @param instance this instance's name in its messages, new at every start
     * @param maxFrameSize the largest frame a device may post, and so the largest relayed
     * @param maxAudioChunkSize the same for audio chunks
     */
    RedisRelay(RedisClient client, DeviceStreams streams, UUID instance, RelayKey key, InstantSource clock,
            long maxFrameSize, long maxAudioChunkSize, Duration latestFrameTtl, Duration retryDelay) {
        this.channels = new RelayChannels(streams);
        this.inbox = new RelayInbox(
                new RelayGate(key, instance, clock, maxFrameSize, maxAudioChunkSize, latestFrameTtl),
                new Rejections(clock));
        LatestFrames latestFrames = new LatestFrames(channels.targets(), inbox, latestFrameTtl,
                Math.toIntExact(RelayMessage.OVERHEAD + maxFrameSize));
        RelayCodec codec = new RelayCodec(Math.toIntExact(RelayMessage.OVERHEAD
                + Math.max(maxFrameSize, TalkPayload.maxLength(maxAudioChunkSize))));
        this.connection = new RelayConnection(client, codec, channels.all(), this::receive, latestFrames::fetch,
                instance, retryDelay);
        this.publisher = new RelayPublisher(instance, key, connection::commands, latestFrames);
    }

    private void receive(byte[] channel, byte[] message) {
        Route route = channels.route(channel);
        if (route != null) {
            inbox.receive(route, message);
        }
    }

    /** Whether both connections to Redis are up. */
    boolean connected() {
        return connection.connected();
    }

    @Override
    public String state() {
        return connected() ? "UP" : "DOWN";
    }

    long published() {
        return publisher.published();
    }

    long publishFailures() {
        return publisher.publishFailures();
    }

    long relayedIn() {
        return inbox.relayedIn();
    }

    long rejected(Rejection reason) {
        return inbox.rejected(reason);
    }

    @Override
    public synchronized void start() {
        if (!listening) {
            for (Target target : channels.targets()) {
                target.buffer().addListener(publisher.posts(target));
                target.talk().addListener(publisher.voices(target));
            }
            listening = true;
        }
        connection.start();
    }

    @Override
    public synchronized void stop() {
        connection.stop();
    }

    @Override
    public synchronized boolean isRunning() {
        return connection.isRunning();
    }
}
