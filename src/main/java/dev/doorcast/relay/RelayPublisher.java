package dev.doorcast.relay;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.doorcast.buffer.AudioChunk;
import dev.doorcast.buffer.BufferListener;
import dev.doorcast.buffer.DoorbellRing;
import dev.doorcast.buffer.Frame;
import dev.doorcast.buffer.TalkListener;
import dev.doorcast.relay.RelayChannels.Target;
import io.lettuce.core.api.StatefulRedisConnection;
import org.jspecify.annotations.Nullable;

/**
 * What goes out to Redis: every frame, chunk and ring a device posts here, every ring deleted here, and
 * every chunk of voice a viewer here says to it, once, signed for its channel and numbered by this instance's serial; never what
 * came in from Redis. Publishing is asynchronous and nothing is queued while Redis is away: a device's POST
 * never waits on it, and what cannot be sent is counted as a failure.
 */
final class RelayPublisher {

    private static final byte[] NOTHING = new byte[0];

    private final UUID instance;
    private final RelayKey key;
    private final Supplier<@Nullable StatefulRedisConnection<byte[], byte[]>> commands;
    private final LatestFrames latestFrames;
    private final AtomicLong serials = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong publishFailures = new AtomicLong();

    /** @param commands the connection to publish on, null while there is none */
    RelayPublisher(UUID instance, RelayKey key, Supplier<@Nullable StatefulRedisConnection<byte[], byte[]>> commands,
            LatestFrames latestFrames) {
        this.instance = instance;
        this.key = key;
        this.commands = commands;
        this.latestFrames = latestFrames;
    }

    /** Publishes what a device posts to {@code target}'s buffer here, once per frame, chunk or ring. */
    BufferListener posts(Target target) {
        return new BufferListener() {
            @Override
            public void onFrame(Frame frame) {
                if (!RelayInbox.relaying()) {
                    byte[] message = new RelayMessage(RelayMessage.FRAME, instance, serials.incrementAndGet(),
                            frame.receivedAt(), frame.deviceFrameId(), frame.jpeg())
                            .seal(key, target.frameChannel());
                    publish(target.frameChannel(), message);
                    StatefulRedisConnection<byte[], byte[]> connection = commands.get();
                    if (connection != null && connection.isOpen()) {
                        latestFrames.keep(connection, target, message);
                    }
                }
            }

            @Override
            public void onAudio(AudioChunk chunk) {
                if (!RelayInbox.relaying()) {
                    publish(target.audioChannel(), new RelayMessage(RelayMessage.AUDIO, instance,
                            serials.incrementAndGet(), chunk.receivedAt(), chunk.deviceSequence(), chunk.pcm())
                            .seal(key, target.audioChannel()));
                }
            }

            @Override
            public void onRing(DoorbellRing ring) {
                if (!RelayInbox.relaying()) {
                    publish(target.ringChannel(), new RelayMessage(RelayMessage.RING, instance,
                            serials.incrementAndGet(), ring.time(), ring.id(), NOTHING)
                            .seal(key, target.ringChannel()));
                }
            }

            @Override
            public void onRingDeleted(DoorbellRing ring) {
                // Deleted here at a viewer's request (the relay's own deletions forget, telling no one).
                publish(target.ringChannel(), new RelayMessage(RelayMessage.RING, instance, serials.incrementAndGet(),
                        System.currentTimeMillis(), ring.id(), RelayMessage.DELETED).seal(key, target.ringChannel()));
            }
        };
    }

    /** Publishes what viewers here say to {@code target}'s device, whichever instance its speaker stream is on. */
    TalkListener voices(Target target) {
        return (chunk, talkId) -> {
            if (!RelayInbox.relaying()) {
                publish(target.talkChannel(), new RelayMessage(RelayMessage.TALK, instance, serials.incrementAndGet(),
                        chunk.receivedAt(), chunk.deviceSequence(), new TalkPayload(talkId, chunk.pcm()).encode())
                        .seal(key, target.talkChannel()));
            }
        };
    }

    private void publish(byte[] channel, byte[] message) {
        StatefulRedisConnection<byte[], byte[]> connection = commands.get();
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

    long published() {
        return published.get();
    }

    long publishFailures() {
        return publishFailures.get();
    }
}
