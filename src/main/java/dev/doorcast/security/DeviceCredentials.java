package dev.doorcast.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.InvalidSettingException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices' tokens; a token is its device's identity. The default device ({@code doorbell}) takes
 * {@code doorcast.security.device-token}; more come from {@code doorcast.devices.<id>.token}. Without any
 * token the server refuses to start, unless the simulated doorbell is on, which then gets a random token
 * for the default device that nobody else knows.
 */
public final class DeviceCredentials {

    private static final Logger log = LoggerFactory.getLogger(DeviceCredentials.class);
    private static final Pattern DEVICE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private final Map<String, byte[]> tokens;

    DeviceCredentials(Map<String, byte[]> tokens) {
        this.tokens = tokens;
    }

    static DeviceCredentials from(DoorcastProperties properties) {
        Map<String, byte[]> tokens = new LinkedHashMap<>();
        String configured = properties.security().deviceToken();
        if (configured != null && !configured.isBlank()) {
            Secrets.requireStrong("doorcast.security.device-token", configured, properties);
            tokens.put(DoorcastProperties.DEFAULT_DEVICE, configured.getBytes(StandardCharsets.UTF_8));
        }
        properties.devices().forEach((id, device) -> {
            if (!DEVICE_ID.matcher(id).matches()) {
                throw new InvalidSettingException("doorcast.devices." + id, "'" + id + "' is not a device id.",
                        "A device id is 1-32 lower-case letters, digits and dashes.");
            }
            String configuredToken = device.token();
            if (configuredToken == null || configuredToken.isBlank()) {
                if (id.equals(DoorcastProperties.DEFAULT_DEVICE)) {
                    return; // only its name is set here; its token is doorcast.security.device-token
                }
                throw new InvalidSettingException("doorcast.devices." + id + ".token", "doorcast.devices." + id
                        + " has no token.", "Every device besides the default one needs a token of its own: make one "
                        + "with " + Secrets.MAKE_ONE + ".");
            }
            if (tokens.containsKey(id)) {
                throw new InvalidSettingException("doorcast.devices." + id + ".token", "The token of device '" + id
                        + "' is set twice: by doorcast.security.device-token and by doorcast.devices." + id + ".token.",
                        "Keep one of the two.");
            }
            Secrets.requireStrong("doorcast.devices." + id + ".token", configuredToken, properties);
            byte[] token = configuredToken.getBytes(StandardCharsets.UTF_8);
            if (tokens.values().stream().anyMatch(other -> MessageDigest.isEqual(other, token))) {
                throw new InvalidSettingException("doorcast.devices." + id + ".token",
                        "doorcast.devices." + id + ".token is another device's token too.",
                        "A token is a device's identity and must be its own: make one with " + Secrets.MAKE_ONE + ".");
            }
            tokens.put(id, token);
        });
        if (!tokens.containsKey(DoorcastProperties.DEFAULT_DEVICE) && properties.demo().enabled()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            log.info("No device token configured: the simulated doorbell posts with a random one. "
                    + "Set doorcast.security.device-token for a real doorbell.");
            tokens.put(DoorcastProperties.DEFAULT_DEVICE, Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(random).getBytes(StandardCharsets.UTF_8));
        }
        if (tokens.isEmpty()) {
            throw new InvalidSettingException("doorcast.security.device-token",
                    "No device token is configured, so no doorbell could post.",
                    "Set it to the token your doorbell sends as 'Authorization: Bearer <token>' (make one with "
                            + Secrets.MAKE_ONE + "), or run the simulated doorbell with doorcast.demo.enabled=true.");
        }
        return new DeviceCredentials(Map.copyOf(tokens));
    }

    /**
     * The device whose token this is, or null. Every token is compared, each in constant time, so response
     * timing tells an attacker nothing about any of them.
     */
    @Nullable String deviceFor(@Nullable String presented) {
        if (presented == null) {
            return null;
        }
        byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (Map.Entry<String, byte[]> entry : tokens.entrySet()) {
            if (MessageDigest.isEqual(entry.getValue(), bytes)) {
                found = entry.getKey();
            }
        }
        return found;
    }

    boolean matches(@Nullable String presented) {
        return deviceFor(presented) != null;
    }

    /** The default device's token, for the simulated doorbell in this process to post with. */
    public String token() {
        byte[] token = tokens.get(DoorcastProperties.DEFAULT_DEVICE);
        if (token == null) {
            throw new IllegalStateException("the default device has no token");
        }
        return new String(token, StandardCharsets.UTF_8);
    }
}
