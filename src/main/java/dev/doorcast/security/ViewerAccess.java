package dev.doorcast.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.doorcast.system.DoorcastProperties;
import org.jspecify.annotations.Nullable;

/**
 * Who may watch. Off unless a viewer token is configured; then a viewer shows the token as a bearer
 * header, or a signed access link made with it: {@code ?access=<expiry>.<signature>}, where the signature
 * is an HMAC-SHA256 of the expiry (epoch seconds) keyed with the viewer token. Links let an
 * {@code <img>} tag or an ESP32 display, which cannot send headers, watch without the token itself.
 */
public final class ViewerAccess {

    /** A signed access link's value and when it stops admitting new streams. */
    public record Link(String access, long expiresAt) {
    }

    private static final String ALGORITHM = "HmacSHA256";

    private final byte @Nullable [] token;
    private final Duration ttl;
    private final InstantSource clock;

    ViewerAccess(byte @Nullable [] token, Duration ttl, InstantSource clock) {
        this.token = token;
        this.ttl = ttl;
        this.clock = clock;
    }

    static ViewerAccess from(DoorcastProperties properties, DeviceCredentials device, InstantSource clock) {
        DoorcastProperties.Security security = properties.security();
        String configured = security.viewerToken();
        if (configured == null || configured.isBlank()) {
            if (security.requireViewerToken()) {
                throw new IllegalStateException("Viewers need a token here (doorcast.security.require-viewer-token "
                        + "is on, as in the prod profile) but none is configured. Set "
                        + "doorcast.security.viewer-token (environment variable DOORCAST_SECURITY_VIEWER_TOKEN).");
            }
            return new ViewerAccess(null, security.accessTtl(), clock);
        }
        if (device.matches(configured)) {
            throw new IllegalStateException("doorcast.security.viewer-token must differ from every device token: "
                    + "whoever can watch must not be able to post as the doorbell.");
        }
        return new ViewerAccess(configured.getBytes(StandardCharsets.UTF_8), security.accessTtl(), clock);
    }

    /** Whether viewers must show a token or a link. */
    public boolean required() {
        return token != null;
    }

    boolean matchesToken(@Nullable String presented) {
        return token != null && presented != null
                && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Makes a link valid from now for the configured time. */
    public Link newLink() {
        long expiresAt = clock.millis() / 1000 + ttl.toSeconds();
        return new Link(expiresAt + "." + sign(expiresAt), expiresAt * 1000);
    }

    /** Whether {@code access} is a link made with this token that has not expired. */
    boolean admits(@Nullable String access) {
        Long expiresAt = signedExpiry(access);
        return expiresAt != null && clock.millis() / 1000 <= expiresAt;
    }

    /** Whether {@code access} is a real link that has expired: its viewer needs a new one, not a correction. */
    boolean expired(@Nullable String access) {
        Long expiresAt = signedExpiry(access);
        return expiresAt != null && clock.millis() / 1000 > expiresAt;
    }

    /** The expiry (epoch seconds) of a link signed with this token; null for anything else. */
    private @Nullable Long signedExpiry(@Nullable String access) {
        if (token == null || access == null) {
            return null;
        }
        int dot = access.indexOf('.');
        if (dot < 1 || dot > 19) {
            return null;
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(access.substring(0, dot));
        } catch (NumberFormatException e) {
            return null;
        }
        byte[] expected = sign(expiresAt).getBytes(StandardCharsets.US_ASCII);
        byte[] presented = access.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, presented) ? expiresAt : null;
    }

    private String sign(long expiresAt) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(token, ALGORITHM));
            byte[] signature = mac.doFinal(("doorcast-viewer:" + expiresAt).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
