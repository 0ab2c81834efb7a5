package dev.doorcast.relay;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.doorcast.buffer.Frame;
import dev.doorcast.relay.RelayChannels.Route;
import dev.doorcast.relay.RelayChannels.Target;

/**
 * What comes in from Redis: every message passes the {@link RelayGate} and the replay check before it goes
 * into the local buffer or talk buffer, as if the device (or the talker) had posted here; what fails is
 * dropped and counted in {@link Rejections}.
 */
final class RelayInbox {

    /** Set while a relayed message is added to the buffer, so that it is not published back. */
    private static final ThreadLocal<Boolean> RELAYING = ThreadLocal.withInitial(() -> false);

    private final RelayGate gate;
    private final Rejections rejections;
    private final AtomicLong relayedIn = new AtomicLong();

    RelayInbox(RelayGate gate, Rejections rejections) {
        this.gate = gate;
        this.rejections = rejections;
    }

    /** Whether this thread is adding a relayed message now: what it adds came from Redis, not from here. */
    static boolean relaying() {
        return RELAYING.get();
    }

    /** A message that came on {@code route}'s channel. */
    void receive(Route route, byte[] wire) {
        switch (gate.check(wire, route.channel(), route.kind(), Duration.ZERO)) {
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

    /**
     * The newest frame as {@code target}'s latest-frame key held it, which may be as old as the key lives:
     * taken if it is newer than the newest frame here.
     */
    void receiveLatestFrame(Target target, byte[] wire, Duration keyLives) {
        switch (gate.check(wire, target.frameChannel(), RelayMessage.FRAME, keyLives)) {
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
    }

    private void add(Target target, RelayMessage message) {
        RELAYING.set(true);
        try {
            switch (message.kind()) {
                case RelayMessage.FRAME ->
                        target.buffer().addFrame(message.payload(), null, message.deviceNumber(), null);
                case RelayMessage.AUDIO -> target.buffer().addAudio(message.payload(), message.deviceNumber());
                case RelayMessage.RING -> {
                    if (message.payload().length == 0) {
                        target.rings().addRing(message.deviceNumber(), message.receivedAt());
                    } else {
                        // Deleted on the instance that was asked; the store's copy went with it there.
                        target.rings().forget(message.deviceNumber());
                    }
                }
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

    /** Messages added to a local buffer or talk buffer. */
    long relayedIn() {
        return relayedIn.get();
    }

    long rejected(Rejection reason) {
        return rejections.count(reason);
    }
}
