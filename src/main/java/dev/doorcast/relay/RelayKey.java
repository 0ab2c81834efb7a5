package dev.doorcast.relay;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.doorcast.system.InvalidSettingException;
import org.jspecify.annotations.Nullable;

/**
 * The secret every instance signs its relayed messages with, {@code doorcast.relay.secret}: HMAC-SHA256
 * over the message and the Redis channel it is meant for, so that a message cannot be moved to another
 * device's channel, checked in constant time.
 */
final class RelayKey {

    static final int MIN_LENGTH = 16;
    static final int MAC_LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    private RelayKey(byte[] secret) {
        this.key = new SecretKeySpec(secret, ALGORITHM);
    }

    /** The key from the setting; refuses to start a relay anyone who can write to Redis could feed. */
    static RelayKey from(@Nullable String secret) {
        if (secret == null || secret.isBlank()) {
            throw new InvalidSettingException("doorcast.relay.secret", "doorcast.relay.type=redis needs "
                    + "doorcast.relay.secret: the key every instance signs and checks relayed frames and audio with, "
                    + "so that whoever else can write to the Redis cannot show viewers anything.",
                    "Set the same value on every instance, at least " + MIN_LENGTH + " characters; "
                            + "'openssl rand -hex 32' makes a good one.");
        }
        if (secret.length() < MIN_LENGTH) {
            throw new InvalidSettingException("doorcast.relay.secret", "doorcast.relay.secret is "
                    + secret.length() + " characters; it needs at least " + MIN_LENGTH + ".",
                    "'openssl rand -hex 32' makes a good one; set the same on every instance.");
        }
        return new RelayKey(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The MAC of {@code message[0, length)} for {@code channel}. */
    byte[] sign(byte[] channel, byte[] message, int length) {
        Mac mac = newMac();
        // The channel's length first, so that no channel name and message can pass for another pair.
        mac.update((byte) (channel.length >> 8));
        mac.update((byte) channel.length);
        mac.update(channel);
        mac.update(message, 0, length);
        return mac.doFinal();
    }

    /** Whether the last {@link #MAC_LENGTH} bytes of {@code signed} are the MAC of the rest, for {@code channel}. */
    boolean verifies(byte[] channel, byte[] signed) {
        if (signed.length < MAC_LENGTH) {
            return false;
        }
        int length = signed.length - MAC_LENGTH;
        byte[] expected = sign(channel, signed, length);
        byte[] presented = Arrays.copyOfRange(signed, length, signed.length);
        return MessageDigest.isEqual(expected, presented);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
