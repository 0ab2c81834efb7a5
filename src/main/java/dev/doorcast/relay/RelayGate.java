package dev.doorcast.relay;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.doorcast.buffer.MediaFault;

/**
 * The checks a message from Redis passes before it may touch a buffer, the same a device's (or talker's)
 * POST passes and more: its length (before anything is copied), its version, its signature for the channel
 * it came on, its age, whether it is a JPEG or whole 16-bit PCM within the size limits (a voice chunk's
 * talk id of the right form too; a ring carries nothing but its number), and whether it was taken before. Whoever can write to the Redis without the secret can only make messages that are dropped.
 */
final class RelayGate {

    /**
     * How far a message's {@code receivedAt} may lie from this instance's clock, either way: the clocks of
     * two instances (NTP keeps them within milliseconds) and Redis's delivery (milliseconds) together. A
     * genuine message replayed later than this is refused whatever else is true of it.
     */
    static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(5);

    private final RelayKey key;
    private final UUID self;
    private final InstantSource clock;
    private final long maxFrameSize;
    private final long maxAudioChunkSize;
    private final long forgetAfter;
    private final Map<UUID, ReplayWindow> windows = new ConcurrentHashMap<>();

    /**
     * @param longestExtraAge the most that {@link #check} is ever asked to allow beyond the tolerance (the
     *     latest-frame key's time to live); a sender's replay window is kept until its messages are stale
     */
    RelayGate(RelayKey key, UUID self, InstantSource clock, long maxFrameSize, long maxAudioChunkSize,
            Duration longestExtraAge) {
        this.key = key;
        this.self = self;
        this.clock = clock;
        this.maxFrameSize = maxFrameSize;
        this.maxAudioChunkSize = maxAudioChunkSize;
        this.forgetAfter = Math.max(Duration.ofMinutes(1).toMillis(),
                2 * (longestExtraAge.toMillis() + 2 * CLOCK_TOLERANCE.toMillis()));
    }

    /**
     * Everything but the replay check, which {@link #firstTime} makes.
     *
     * @param wire the message as Redis gave it, {@link RelayCodec#OVERSIZED} if it was too long to copy
     * @param channel the channel it came on, or whose messages the key it was read from holds
     * @param kind the kind that channel carries
     * @param extraAge how much older than the tolerance it may be: none on a channel, where messages are
     *     live; the key's time to live for the latest frame kept in Redis
     */
    Verdict check(byte[] wire, byte[] channel, byte kind, Duration extraAge) {
        if (wire == RelayCodec.OVERSIZED) {
            return new Verdict.Drop(Rejection.TOO_LARGE);
        }
        long maxSize = switch (kind) {
            case RelayMessage.FRAME -> maxFrameSize;
            case RelayMessage.TALK -> TalkPayload.maxLength(maxAudioChunkSize);
            case RelayMessage.RING -> RelayMessage.DELETED.length;
            default -> maxAudioChunkSize;
        };
        Verdict opened = RelayMessage.open(wire, channel, kind, maxSize, key);
        if (!(opened instanceof Verdict.Take(RelayMessage message))) {
            return opened;
        }
        if (message.instance().equals(self)) {
            return Verdict.OWN;
        }
        long now = clock.millis();
        long tolerance = CLOCK_TOLERANCE.toMillis();
        if (message.receivedAt() < now - tolerance - extraAge.toMillis() || message.receivedAt() > now + tolerance) {
            return new Verdict.Drop(Rejection.STALE);
        }
        if (kind == RelayMessage.RING) {
            // No payload (a ring) or DELETED (its deletion); its number is the ring's, which must be one.
            boolean payload = message.payload().length == 0 || Arrays.equals(message.payload(), RelayMessage.DELETED);
            return message.deviceNumber() == null || !payload ? new Verdict.Drop(Rejection.MALFORMED) : opened;
        }
        byte[] media = message.payload();
        if (kind == RelayMessage.TALK) {
            TalkPayload voice = TalkPayload.decode(media);
            if (voice == null) {
                return new Verdict.Drop(Rejection.MALFORMED);
            }
            media = voice.pcm();
        }
        MediaFault fault = kind == RelayMessage.FRAME ? MediaFault.ofFrame(media, maxFrameSize)
                : MediaFault.ofAudio(media, maxAudioChunkSize);
        if (fault != null) {
            return new Verdict.Drop(fault == MediaFault.TOO_LARGE ? Rejection.TOO_LARGE : Rejection.NOT_MEDIA);
        }
        return opened;
    }

    /**
     * Whether this is the first time {@code message} is taken: false for a replay of one taken before,
     * which the signature and age checks let through for a few seconds.
     */
    boolean firstTime(RelayMessage message) {
        long now = clock.millis();
        ReplayWindow window = windows.get(message.instance());
        if (window == null) {
            // Every instance that ever ran leaves one; only a signed message gets here to add one.
            windows.values().removeIf(idle -> now - idle.lastTaken() > forgetAfter);
            window = windows.computeIfAbsent(message.instance(), sender -> new ReplayWindow(now));
        }
        return window.take(message.serial(), now);
    }
}
