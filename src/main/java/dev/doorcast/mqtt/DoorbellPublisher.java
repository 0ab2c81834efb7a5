package dev.doorcast.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.doorcast.buffer.BufferListener;
import dev.doorcast.buffer.DoorbellRing;
import dev.doorcast.buffer.Frame;
import dev.doorcast.events.DoorEvents;
import tools.jackson.databind.json.JsonMapper;

/**
 * What doorcast tells the broker of each doorbell: on every (re)connection the server's {@code online}, each
 * doorbell's discovery configs and its online state; then each ring and its picture, and each change of
 * online state as doorcast's events decide it ({@code doorcast.presence.offline-after}).
 *
 * <p>A ring is published by the instance that took it from the doorbell only: with the Redis relay every
 * instance hears of every ring ({@link DoorbellRing#relayed()} on all but one), and Home Assistant would fire
 * its event once per instance. The online state, which every instance follows from the same relayed frames,
 * is the same retained value whoever publishes it.
 *
 * <p>The ring's picture goes out before the ring when the doorbell had sent a frame just before (so that an
 * automation fired by the ring finds the camera showing who rang); a doorbell that its button woke rings
 * before its first frame, and then the ring goes out at once and the picture as soon as it comes, waited for
 * on a virtual thread of its own, never on the device's thread or the outbox's.
 */
final class DoorbellPublisher {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Pictures awaited at once; rings are rate-limited per device, so more means something is wrong. */
    private static final int MAX_AWAITED = 16;

    /** One doorbell's id, the name Home Assistant shows, and its events. */
    record Doorbell(String device, String name, DoorEvents events) {
    }

    private final MqttTopics topics;
    private final Discovery discovery;
    private final MqttOutbox outbox;
    private final Map<String, Doorbell> doorbells = new LinkedHashMap<>();
    private final Map<String, AtomicBoolean> onlineOffered = new LinkedHashMap<>();
    private final Semaphore awaiting = new Semaphore(MAX_AWAITED);
    private final AtomicBoolean statusPending = new AtomicBoolean();

    DoorbellPublisher(MqttTopics topics, MqttOutbox outbox, Iterable<Doorbell> doorbells) {
        this.topics = topics;
        this.discovery = new Discovery(topics);
        this.outbox = outbox;
        for (Doorbell doorbell : doorbells) {
            MqttTopics.level(doorbell.device());
            this.doorbells.put(doorbell.device(), doorbell);
            AtomicBoolean offered = new AtomicBoolean();
            onlineOffered.put(doorbell.device(), offered);
            DoorEvents events = doorbell.events();
            events.onPublish(() -> {
                boolean online = events.online();
                if (offered.getAndSet(online) != online) {
                    outbox.offer(() -> outbox.send(onlineState(doorbell)));
                }
            });
        }
    }

    /** What goes into {@code device}'s buffer: each ring taken here. */
    BufferListener rings(String device) {
        Doorbell doorbell = doorbells.get(device);
        return new BufferListener() {
            @Override
            public void onRing(DoorbellRing ring) {
                if (!ring.relayed()) {
                    outbox.offer(() -> publishRing(doorbell, ring));
                }
            }
        };
    }

    /** A connection is up: the server's status, then every doorbell's discovery configs and online state. */
    void connected() {
        outbox.offerFirst(() -> {
            outbox.send(new Outgoing(topics.status(), BrokerConnection.ONLINE, 1, true));
            for (Doorbell doorbell : doorbells.values()) {
                for (Outgoing config : discovery.configs(doorbell.device(), doorbell.name())) {
                    outbox.send(config);
                }
                onlineOffered.get(doorbell.device()).set(doorbell.events().online());
                outbox.send(onlineState(doorbell));
            }
        });
    }

    /** Someone said {@code offline} for this server while it is up (another instance's last will): say online. */
    void statusDenied() {
        if (statusPending.compareAndSet(false, true)) {
            outbox.offer(() -> {
                statusPending.set(false);
                outbox.send(new Outgoing(topics.status(), BrokerConnection.ONLINE, 1, true));
            });
        }
    }

    private Outgoing onlineState(Doorbell doorbell) {
        return new Outgoing(topics.online(doorbell.device()),
                doorbell.events().online() ? BrokerConnection.ONLINE : BrokerConnection.OFFLINE, 1, true);
    }

    private void publishRing(Doorbell doorbell, DoorbellRing ring) {
        Frame picture = ring.snapshot();
        if (picture != null) {
            outbox.send(snapshot(doorbell, picture));
        }
        outbox.send(new Outgoing(topics.ring(doorbell.device()), ringJson(doorbell.device(), ring), 1, false));
        if (picture == null) {
            awaitPicture(doorbell, ring);
        }
    }

    private void awaitPicture(Doorbell doorbell, DoorbellRing ring) {
        if (!awaiting.tryAcquire()) {
            outbox.drop(MqttOutbox.Drop.QUEUE_FULL);
            return;
        }
        Thread.ofVirtual().name("doorcast-mqtt-picture").start(() -> {
            try {
                Frame picture = ring.awaitSnapshot();
                if (picture != null) {
                    outbox.offer(() -> outbox.send(snapshot(doorbell, picture)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                awaiting.release();
            }
        });
    }

    private Outgoing snapshot(Doorbell doorbell, Frame picture) {
        return new Outgoing(topics.snapshot(doorbell.device()), picture.jpeg(), 1, true);
    }

    static byte[] ringJson(String device, DoorbellRing ring) {
        return JSON.writeValueAsString(JSON.createObjectNode()
                .put("event_type", "ring")
                .put("ringId", ring.id())
                .put("device", device)
                .put("time", ring.time())).getBytes(StandardCharsets.UTF_8);
    }
}
