package dev.doorcast.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import dev.doorcast.system.DoorcastProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The doorbell's token. Without one configured the server refuses to start, unless the simulated
 * doorbell is on, which then gets a random token of its own that nobody else knows.
 */
public final class DeviceCredentials {

    private static final Logger log = LoggerFactory.getLogger(DeviceCredentials.class);

    private final byte[] token;

    DeviceCredentials(byte[] token) {
        this.token = token;
    }

    static DeviceCredentials from(DoorcastProperties properties) {
        String configured = properties.security().deviceToken();
        if (configured != null && !configured.isBlank()) {
            return new DeviceCredentials(configured.getBytes(StandardCharsets.UTF_8));
        }
        if (!properties.demo().enabled()) {
            throw new IllegalStateException("No device token is configured, so no doorbell could post. "
                    + "Set doorcast.security.device-token (environment variable DOORCAST_SECURITY_DEVICE_TOKEN) "
                    + "to the token your doorbell sends as 'Authorization: Bearer <token>', "
                    + "or run the simulated doorbell with doorcast.demo.enabled=true.");
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        log.info("No device token configured: the simulated doorbell posts with a random one. "
                + "Set doorcast.security.device-token for a real doorbell.");
        return new DeviceCredentials(Base64.getUrlEncoder().withoutPadding().encodeToString(random)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Compares in constant time, so response timing tells an attacker nothing about the token. */
    boolean matches(@Nullable String presented) {
        return presented != null
                && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The token itself, for the simulated doorbell in this process to post with. */
    public String token() {
        return new String(token, StandardCharsets.UTF_8);
    }
}
