package dev.doorcast.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.doorcast.security.ViewerGrant.Scope;
import org.jspecify.annotations.Nullable;

/**
 * Signed access links: {@code v2.<device>.<scope>.<expiry>.<issuer>.<nonce>.<signature>}, where the signature
 * is an HMAC-SHA256 of everything before it, keyed with the link key (never the viewer token: a captured link
 * must not help anyone guess a token offline). The issuer names the viewer token that made the link without
 * telling anything of it: the first 8 bytes of an HMAC of the token under the link key, so only the server
 * can compute it, and a link made with a token that has since been changed names an issuer no token has
 * ({@link ViewerAccess} refuses it). One spelling only: lower-case device and scope, the expiry in epoch
 * seconds without sign or leading zeros, the issuer and the nonce (which makes every link its own, for its
 * own count of streams) as 11 and the signature as 43 characters of unpadded base64url.
 * Every character is URL-safe, so a link goes into {@code ?access=} as it is.
 */
final class AccessLinks {

    /** Whether a link may be used, and if not, why, in the words the client gets. */
    sealed interface Verdict {
        /** @param issuer the issuer of the viewer token that made it ({@link #issuer}) */
        record Valid(String device, Scope scope, long expiresAt, String issuer) implements Verdict {
        }

        record Refused(String reason) implements Verdict {
        }
    }

    private static final String ALGORITHM = "HmacSHA256";
    private static final Pattern FORM = Pattern.compile(
            "v2\\.([a-z0-9][a-z0-9-]{0,31})\\.(all|camera)\\.([1-9][0-9]{0,11})\\.([A-Za-z0-9_-]{11})\\.[A-Za-z0-9_-]{11}"
                    + "\\.([A-Za-z0-9_-]{43})");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;
    private final Duration ttl;
    private final InstantSource clock;

    AccessLinks(byte[] key, Duration ttl, InstantSource clock) {
        this.key = new SecretKeySpec(key, ALGORITHM);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A link to {@code device}'s {@code scope} made by {@code issuer}, good from now for the configured time. */
    ViewerAccess.Link make(String device, Scope scope, String issuer) {
        long expiresAt = clock.millis() / 1000 + ttl.toSeconds();
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        String signed = "v2." + device + "." + scope.wireName() + "." + expiresAt + "." + issuer + "."
                + BASE64URL.encodeToString(nonce);
        return new ViewerAccess.Link(signed + "." + sign(signed), expiresAt * 1000);
    }

    Verdict check(String access) {
        Matcher form = FORM.matcher(access);
        if (!form.matches()) {
            return new Verdict.Refused("The access link is not valid: ask for a new one");
        }
        String signed = access.substring(0, form.start(5) - 1);
        byte[] expected = sign(signed).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, form.group(5).getBytes(StandardCharsets.US_ASCII))) {
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
        return new Verdict.Valid(form.group(1), scope, expiresAt, form.group(4));
    }

    /**
     * The issuer of links made with {@code token}: 8 bytes of an HMAC of the token keyed with the link key.
     * Keyed, because it is in every link handed out: a hash of the token alone would let whoever holds a link
     * test guesses of the token offline.
     */
    String issuer(byte[] token) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update("doorcast-link-issuer:".getBytes(StandardCharsets.US_ASCII));
            return BASE64URL.encodeToString(Arrays.copyOf(mac.doFinal(token), 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private String sign(String signed) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] signature = mac.doFinal(("doorcast-access:" + signed).getBytes(StandardCharsets.US_ASCII));
            return BASE64URL.encodeToString(signature);
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
