package dev.doorcast.push;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.doorcast.system.DoorcastProperties;
import org.jspecify.annotations.Nullable;

/**
 * Which credential a subscription was made with, and whether it still opens a device. A subscription keeps
 * its holder ({@code owner}, {@code device:<id>}) and a keyed hash of that holder's viewer token at the
 * time: once the token is changed (and the server restarted), the hash no longer matches and the
 * subscription gets nothing more, as links made with the old token open nothing more. While viewer access
 * is off, subscriptions are made by anyone, held by their client address and marked {@link #OPEN}; they get
 * pushes only while it stays off.
 */
final class PushCredentials {

    /** The credential of a subscription made while viewer access was off. */
    static final String OPEN = "open";
    static final String OWNER = "owner";
    private static final String HOUSEHOLD = "device:";

    /** Each configured viewer token's hash, by its holder. */
    private final Map<String, String> current;

    PushCredentials(Map<String, String> current) {
        this.current = Map.copyOf(current);
    }

    /** The hashes of the configured viewer tokens, keyed with {@code key} (derived from the VAPID key). */
    static PushCredentials from(DoorcastProperties properties, byte[] key) {
        Map<String, String> hashes = new LinkedHashMap<>();
        String owner = properties.security().viewerToken();
        if (owner != null && !owner.isBlank()) {
            hashes.put(OWNER, hash(key, owner));
        }
        properties.devices().forEach((id, device) -> {
            String token = device.viewerToken();
            if (token != null && !token.isBlank()) {
                hashes.put(HOUSEHOLD + id, hash(key, token));
            }
        });
        return new PushCredentials(hashes);
    }

    private static String hash(byte[] key, String token) {
        return P256.base64Url(PushEncryption.hmac(key, token.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether viewers need a credential, as {@code ViewerAccess} decides it: some viewer token is set. */
    boolean required() {
        return !current.isEmpty();
    }

    /** What a subscription made now by {@code holder} records as its credential. */
    @Nullable String of(String holder) {
        return required() ? current.get(holder) : OPEN;
    }

    /** Whether a subscription made by {@code holder} with {@code credential} may be told of {@code device}'s rings now. */
    boolean opens(String holder, String credential, String device) {
        if (!required()) {
            return credential.equals(OPEN);
        }
        if (!credential.equals(current.get(holder))) {
            return false;
        }
        return holder.equals(OWNER) || holder.equals(HOUSEHOLD + device);
    }
}
