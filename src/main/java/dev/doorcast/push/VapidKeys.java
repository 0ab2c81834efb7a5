package dev.doorcast.push;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.doorcast.system.InvalidSettingException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The application server's identity towards push services (VAPID, RFC 8292): one P-256 key pair, whose
 * public key subscriptions are made with ({@code applicationServerKey}), and a short-lived ES256 token per
 * push service origin.
 */
final class VapidKeys {

    /** How long a token is good for: RFC 8292 allows at most 24 hours; less leaves room for clock skew. */
    static final Duration TOKEN_LIFETIME = Duration.ofHours(12);
    static final String SUBJECT_SETTING = "doorcast.push.subject";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HEADER = P256.base64Url("{\"typ\":\"JWT\",\"alg\":\"ES256\"}"
            .getBytes(StandardCharsets.US_ASCII));

    private final ECPrivateKey privateKey;
    private final String publicKey;
    private static final Logger log = LoggerFactory.getLogger(VapidKeys.class);

    private final @Nullable String subject;
    private final AtomicBoolean warnedApple = new AtomicBoolean();

    VapidKeys(ECPrivateKey privateKey, @Nullable String subject) {
        this.privateKey = privateKey;
        ECPublicKey derived = P256.publicKeyOf(privateKey);
        this.publicKey = P256.base64Url(P256.encode(derived));
        this.subject = checkedSubject(subject);
    }

    /** The public key, the 65-byte uncompressed point in base64url: the page's {@code applicationServerKey}. */
    String publicKey() {
        return publicKey;
    }

    ECPrivateKey privateKey() {
        return privateKey;
    }

    /**
     * The {@code Authorization} header of a push to {@code endpoint}: a token for the push service's origin,
     * good until {@code nowSeconds} plus {@link #TOKEN_LIFETIME}, and the public key.
     */
    String authorization(URI endpoint, long nowSeconds) {
        ObjectNode claims = JSON.createObjectNode()
                .put("aud", origin(endpoint))
                .put("exp", nowSeconds + TOKEN_LIFETIME.toSeconds());
        if (subject != null) {
            claims.put("sub", subject);
        } else if (endpoint.getHost().toLowerCase(Locale.ROOT).endsWith("push.apple.com")
                && warnedApple.compareAndSet(false, true)) {
            log.warn("A push goes to Apple's push service with no VAPID subject, which it refuses: set {} to "
                    + "mailto:<your address> or an https: URL.", SUBJECT_SETTING);
        }
        String signed = HEADER + "." + P256.base64Url(JSON.writeValueAsBytes(claims));
        String signature = P256.base64Url(P256.sign(privateKey, signed.getBytes(StandardCharsets.US_ASCII)));
        return "vapid t=" + signed + "." + signature + ", k=" + publicKey;
    }

    /** {@code scheme://host[:port]}, the port only when it is not the scheme's own. */
    static String origin(URI endpoint) {
        String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
        int port = endpoint.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + endpoint.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /**
     * The subject as set, if it is one a push service can use: {@code mailto:} with an address, or an
     * {@code https:} URL with a host.
     */
    static @Nullable String checkedSubject(@Nullable String subject) {
        if (subject == null || subject.isBlank()) {
            return null;
        }
        String problem = null;
        if (subject.startsWith("mailto:")) {
            String address = subject.substring("mailto:".length());
            int at = address.indexOf('@');
            if (at < 1 || at == address.length() - 1 || address.chars().anyMatch(c -> c <= ' ' || c == '"')) {
                problem = "The VAPID subject " + subject + " is not a mailto: address.";
            }
        } else if (subject.startsWith("https:")) {
            try {
                URI uri = new URI(subject);
                if (uri.getHost() == null) {
                    problem = "The VAPID subject " + subject + " has no host.";
                }
            } catch (java.net.URISyntaxException e) {
                problem = "The VAPID subject " + subject + " is not a URL.";
            }
        } else {
            problem = "The VAPID subject " + subject + " is neither a mailto: address nor an https: URL.";
        }
        if (problem != null) {
            throw new InvalidSettingException(SUBJECT_SETTING, problem, "Set it to whom push services may write "
                    + "about this server's pushes, e.g. mailto:you@example.com or https://example.com/contact.");
        }
        return subject;
    }
}
