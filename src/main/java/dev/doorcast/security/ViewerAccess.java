package dev.doorcast.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.doorcast.security.ViewerGrant.Scope;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.InvalidSettingException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may watch. Off unless a viewer token is configured. Then a viewer shows one of:
 * <ul>
 * <li>the instance-wide viewer token ({@code doorcast.security.viewer-token}): the owner's key to every device;
 * <li>a device's own viewer token ({@code doorcast.devices.<id>.viewer-token}): that device only;
 * <li>a signed access link ({@code ?access=}), made with either token for one device, for everything or the
 * picture only, until it expires. Links let an {@code <img>} tag or an ESP32 display, which cannot send
 * headers, watch without knowing a token.
 * </ul>
 * A metrics token ({@code doorcast.security.metrics-token}) opens the Prometheus scrape and nothing else.
 */
public final class ViewerAccess {

    private static final Logger log = LoggerFactory.getLogger(ViewerAccess.class);

    /** A signed access link's value and when it expires (epoch ms). */
    public record Link(String access, long expiresAt) {
    }

    private record Token(byte[] bytes, ViewerGrant grant) {
    }

    /** The holder of the owner's viewer token's grant. */
    private static final String OWNER = "owner";

    private final Map<String, Token> tokens;
    private final byte @Nullable [] metricsToken;
    private final AccessLinks links;
    /** Each viewer token's link issuer, by the holder of its grant ({@code owner}, {@code device:<id>}). */
    private final Map<String, String> issuers;

    ViewerAccess(Map<String, Token> tokens, byte @Nullable [] metricsToken, AccessLinks links) {
        this.tokens = tokens;
        this.metricsToken = metricsToken;
        this.links = links;
        Map<String, String> byHolder = new LinkedHashMap<>();
        tokens.values().forEach(token -> byHolder.put(token.grant().holder(), links.issuer(token.bytes())));
        this.issuers = Map.copyOf(byHolder);
    }

    static ViewerAccess from(DoorcastProperties properties, DeviceCredentials devices, InstantSource clock) {
        DoorcastProperties.Security security = properties.security();
        Map<String, Token> tokens = new LinkedHashMap<>();
        String owner = security.viewerToken();
        if (owner != null && !owner.isBlank()) {
            tokens.put("doorcast.security.viewer-token",
                    token(owner, new ViewerGrant(OWNER, null, Scope.ALL, true, Long.MAX_VALUE)));
        } else if (security.requireViewerToken()) {
            throw new InvalidSettingException("doorcast.security.viewer-token", "Viewers need a token here "
                    + "(doorcast.security.require-viewer-token is on, as in the prod profile) but none is configured.",
                    "Set it to a token of your own: make one with " + Secrets.MAKE_ONE + ".");
        }
        properties.devices().forEach((id, device) -> {
            String viewerToken = device.viewerToken();
            if (viewerToken != null && !viewerToken.isBlank()) {
                tokens.put("doorcast.devices." + id + ".viewer-token",
                        token(viewerToken, new ViewerGrant(household(id), id, Scope.ALL, true, Long.MAX_VALUE)));
            }
        });
        String metrics = security.metricsToken();
        byte[] metricsBytes = metrics == null || metrics.isBlank() ? null : metrics.getBytes(StandardCharsets.UTF_8);
        // Every token is checked alike: long enough, none a device's token, no two the same.
        Map<String, byte[]> all = new LinkedHashMap<>();
        tokens.forEach((setting, token) -> all.put(setting, token.bytes()));
        if (metricsBytes != null) {
            all.put("doorcast.security.metrics-token", metricsBytes);
        }
        for (Map.Entry<String, byte[]> entry : all.entrySet()) {
            String setting = entry.getKey();
            Secrets.requireStrong(setting, new String(entry.getValue(), StandardCharsets.UTF_8), properties);
            if (devices.matches(new String(entry.getValue(), StandardCharsets.UTF_8))) {
                throw new InvalidSettingException(setting, setting + " is a device's token too.", "It must differ "
                        + "from every device token: whoever can watch must not be able to post as a doorbell.");
            }
            for (Map.Entry<String, byte[]> other : all.entrySet()) {
                if (other.getKey().compareTo(setting) < 0 && MessageDigest.isEqual(other.getValue(), entry.getValue())) {
                    throw new InvalidSettingException(setting, setting + " and " + other.getKey()
                            + " are the same token.", "Each opens something different and must be its own: make one "
                            + "with " + Secrets.MAKE_ONE + ".");
                }
            }
        }
        return new ViewerAccess(Map.copyOf(tokens), metricsBytes,
                new AccessLinks(linkKey(properties), security.accessTtl(), clock));
    }

    /** The holder of a device's household's viewer token's grant. */
    private static String household(String device) {
        return "device:" + device;
    }

    private static Token token(String value, ViewerGrant grant) {
        return new Token(value.getBytes(StandardCharsets.UTF_8), grant);
    }

    /** The configured link secret, else one derived from the relay's secret, else a random one. */
    private static byte[] linkKey(DoorcastProperties properties) {
        String secret = properties.security().linkSecret();
        if (secret != null && !secret.isBlank()) {
            Secrets.requireStrong("doorcast.security.link-secret", secret, properties);
            return AccessLinks.derive(secret.getBytes(StandardCharsets.UTF_8), "doorcast access links");
        }
        String relay = relaySecret(properties);
        if (relay != null) {
            return AccessLinks.derive(relay.getBytes(StandardCharsets.UTF_8), "doorcast access links");
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        if (properties.security().viewerToken() != null) {
            log.info("Access links are signed with a key made at start: they end when this process does. Set "
                    + "doorcast.security.link-secret to keep them across restarts and instances.");
        }
        return random;
    }

    private static @Nullable String relaySecret(DoorcastProperties properties) {
        String secret = properties.relay().secret();
        return properties.relay().type() == DoorcastProperties.RelayType.REDIS && secret != null && !secret.isBlank()
                ? secret : null;
    }

    /** Whether viewers must show a token or a link. */
    public boolean required() {
        return !tokens.isEmpty();
    }

    /** Whether the Prometheus scrape needs a credential: with viewer access on, or a metrics token set. */
    boolean guardsMetrics() {
        return required() || metricsToken != null;
    }

    /** What a viewer token opens, or null if {@code presented} is none. Compared in constant time, every one. */
    @Nullable ViewerGrant byToken(@Nullable String presented) {
        if (presented == null) {
            return null;
        }
        byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        ViewerGrant found = null;
        for (Token token : tokens.values()) {
            if (MessageDigest.isEqual(token.bytes(), bytes)) {
                found = token.grant();
            }
        }
        return found;
    }

    boolean isMetricsToken(@Nullable String presented) {
        return metricsToken != null && presented != null
                && MessageDigest.isEqual(metricsToken, presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Makes a link to one device, good from now for the configured time, bound to the viewer token that
     * makes it: once that token is changed (and the server restarted), the link opens nothing.
     *
     * @param maker the grant of the viewer token asking for it
     */
    public Link newLink(ViewerGrant maker, String device, Scope scope) {
        String issuer = issuers.get(maker.holder());
        if (issuer == null || !maker.household()) {
            throw new IllegalArgumentException("links are made with a viewer token, not by " + maker.holder());
        }
        return links.make(device, scope, issuer);
    }

    /**
     * What a link opens, or why it opens nothing. Checked on every use against the viewer tokens of now: a
     * link opens only while the token that made it, the owner's or its device's household's, is configured.
     */
    AccessLinks.Verdict check(String access) {
        AccessLinks.Verdict verdict = links.check(access);
        if (verdict instanceof AccessLinks.Verdict.Valid valid && !issuedByACurrentToken(valid)) {
            return new AccessLinks.Verdict.Refused("The access link was revoked: the viewer token it was made "
                    + "with has been changed; ask for a new one");
        }
        return verdict;
    }

    private boolean issuedByACurrentToken(AccessLinks.Verdict.Valid link) {
        byte[] issuer = link.issuer().getBytes(StandardCharsets.US_ASCII);
        boolean current = false;
        for (String holder : new String[] {OWNER, household(link.device())}) {
            String known = issuers.get(holder);
            current |= known != null && MessageDigest.isEqual(known.getBytes(StandardCharsets.US_ASCII), issuer);
        }
        return current;
    }

    /** The grant a valid link carries; the whole link names its holder, for its count of open streams. */
    static ViewerGrant grantOf(String access, AccessLinks.Verdict.Valid link) {
        return new ViewerGrant("link:" + access.substring(access.lastIndexOf('.') + 1), link.device(), link.scope(),
                false, link.expiresAt());
    }
}
