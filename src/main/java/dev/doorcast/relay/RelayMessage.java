package dev.doorcast.relay;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One frame, audio chunk, doorbell ring or chunk of a viewer's voice on the wire between instances: a fixed
 * 46-byte binary head, the bytes as the device (or viewer) sent them, and a 32-byte signature. No Base64, no
 * JSON around the JPEG: a 9 KB frame costs 9 KB and 78 bytes. A ring has no payload, its deletion the byte
 * {@code D} (its number is the
 * device number, its time {@code receivedAt}); a voice chunk's payload is its talk id, one byte of length
 * first, then the PCM ({@link TalkPayload}).
 *
 * <pre>
 * version(1) kind(1) instance(16) serial(8) receivedAt(8) deviceNumber(8, -1 for none) length(4)
 * payload(length) mac(32)
 * </pre>
 *
 * The MAC is HMAC-SHA256 ({@link RelayKey}) over everything before it and the Redis channel the message
 * is published on, so changing any byte, or publishing the message on another device's channel, makes it
 * fail. Version 1 had no MAC; an instance of version 2 refuses it.
 *
 * @param kind {@link #FRAME}, {@link #AUDIO}, {@link #RING} or {@link #TALK}
 * @param instance the instance the device posted to; an instance ignores its own messages
 * @param serial that instance's count of messages it published, from 1: no two of its messages share one,
 *     so a receiver can tell a replayed message from a new one
 * @param receivedAt when that instance received it, epoch ms; a receiver drops messages too old or from
 *     the future
 * @param deviceNumber the device's {@code frame_id} or {@code X-Sequence}, if it sent one; a ring's number;
 *     a talker's {@code X-Sequence}
 * @param payload JPEG or PCM bytes; nothing for a ring; the talk id and PCM for voice
 */
record RelayMessage(byte kind, UUID instance, long serial, long receivedAt, @Nullable Long deviceNumber,
        byte[] payload) {

    static final byte FRAME = 'F';
    static final byte AUDIO = 'A';
    static final byte RING = 'R';
    /** A ring message's payload when it tells of a ring deleted, rather than rung: the one byte 'D'. */
    static final byte[] DELETED = {'D'};
    static final byte TALK = 'T';
    static final byte VERSION = 2;
    static final int HEAD = 1 + 1 + 16 + 8 + 8 + 8 + 4;
    /** Head and MAC: what a message adds to its payload. */
    static final int OVERHEAD = HEAD + RelayKey.MAC_LENGTH;

    /** The message as published on {@code channel}, signed for that channel. */
    byte[] seal(RelayKey key, byte[] channel) {
        ByteBuffer out = ByteBuffer.allocate(OVERHEAD + payload.length);
        out.put(VERSION).put(kind)
                .putLong(instance.getMostSignificantBits()).putLong(instance.getLeastSignificantBits())
                .putLong(serial)
                .putLong(receivedAt)
                .putLong(deviceNumber == null ? -1 : deviceNumber)
                .putInt(payload.length)
                .put(payload);
        out.put(key.sign(channel, out.array(), out.position()));
        return out.array();
    }

    /**
     * Reads a message that came on {@code channel}, where only {@code kind} messages with payloads up to
     * {@code maxPayload} bytes belong. Its length is checked before anything is read or copied, its MAC
     * before its head is trusted; the payload is copied only from a message that passed both.
     */
    static Verdict open(byte[] wire, byte[] channel, byte kind, long maxPayload, RelayKey key) {
        if (wire.length > OVERHEAD + maxPayload) {
            return new Verdict.Drop(Rejection.TOO_LARGE);
        }
        if (wire.length < OVERHEAD) {
            return new Verdict.Drop(Rejection.MALFORMED);
        }
        if (wire[0] != VERSION) {
            return new Verdict.Drop(Rejection.VERSION);
        }
        if (!key.verifies(channel, wire)) {
            return new Verdict.Drop(Rejection.SIGNATURE);
        }
        ByteBuffer in = ByteBuffer.wrap(wire);
        in.get();
        byte actualKind = in.get();
        UUID instance = new UUID(in.getLong(), in.getLong());
        long serial = in.getLong();
        long receivedAt = in.getLong();
        long number = in.getLong();
        int length = in.getInt();
        if (actualKind != kind || length != wire.length - OVERHEAD) {
            // Signed by an instance with our secret, so a bug there rather than an attack.
            return new Verdict.Drop(Rejection.MALFORMED);
        }
        byte[] payload = Arrays.copyOfRange(wire, HEAD, HEAD + length);
        return new Verdict.Take(new RelayMessage(actualKind, instance, serial, receivedAt,
                number < 0 ? null : number, payload));
    }
}
