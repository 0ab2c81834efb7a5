package dev.doorcast.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.doorcast.security.ViewerGrant.Scope;
import org.jspecify.annotations.Nullable;

/**
 * Signed access links: {@code v1.<device>.<scope>.<expiry>.<nonce>.<signature>}, where the signature is an
 * HMAC-SHA256 of everything before it, keyed with the link key (never the viewer token: a captured link
 * must not help anyone guess a token offline). One spelling only: lower-case device and scope, the expiry
 * in epoch seconds without sign or leading zeros, the nonce (which makes every link its own, for its own
 * count of streams) as 11 and the signature as 43 characters of unpadded base64url.
 * Every character is URL-safe, so a link goes into {@code ?access=} as it is.
 */
final class AccessLinks {

    /** Whether a link may be used, and if not, why, in the words the client gets. */
    sealed interface Verdict {
        record Valid(String device, Scope scope, long expiresAt) implements Verdict {
        }

        record Refused(String reason) implements Verdict {
        }
    }

    private static final String ALGORITHM = "HmacSHA256";
    private static final Pattern FORM = Pattern.compile(
            "v1\\.([a-z0-9][a-z0-9-]{0,31})\\.(all|camera)\\.([1-9][0-9]{0,11})\\.[A-Za-z0-9_-]{11}\\.([A-Za-z0-9_-]{43})");

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;
    private final Duration ttl;
    private final InstantSource clock;

    AccessLinks(byte[] key, Duration ttl, InstantSource clock) {
        this.key = new SecretKeySpec(key, ALGORITHM);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A link to {@code device}'s {@code scope}, good from now for the configured time. */
    ViewerAccess.Link make(String device, Scope scope) {
        long expiresAt = clock.millis() / 1000 + ttl.toSeconds();
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        String signed = "v1." + device + "." + scope.wireName() + "." + expiresAt + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
        return new ViewerAccess.Link(signed + "." + sign(signed), expiresAt * 1000);
    }

    Verdict check(String access) {
        Matcher form = FORM.matcher(access);
        if (!form.matches()) {
            return new Verdict.Refused("The access link is not valid: ask for a new one");
        }
        String signed = access.substring(0, form.start(4) - 1);
        byte[] expected = sign(signed).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, form.group(4).getBytes(StandardCharsets.US_ASCII))) {
            return new Verdict.Refused("The access link is not valid: ask for a new one");
        }
        long expiresAt = Long.parseLong(form.group(3)) * 1000;
        if (clock.millis() > expiresAt) {
            return new Verdict.Refused("The access link has expired: ask for a new one");
        }
        Scope scope = Scope.fromWire(form.group(2));
        if (scope == null) {
            return new Verdict.Refused("The access link is not valid: ask for a new one");
        }
        return new Verdict.Valid(form.group(1), scope, expiresAt);
    }

    private String sign(String signed) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] signature = mac.doFinal(("doorcast-access:" + signed).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** HMAC-SHA256 of a label under a secret: one secret can key several things that never share a key. */
    static byte[] derive(byte[] secret, String label) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(label.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
