package dev.doorcast.security;

import java.util.Locale;

import dev.doorcast.system.DoorcastProperties;
import org.jspecify.annotations.Nullable;

/** The rule every configured token and key follows outside the demo: long enough not to be guessed. */
final class Secrets {

    /** 16 characters of {@code openssl rand -hex 32}'s output are already 64 bits. */
    static final int MIN_LENGTH = 16;
    static final String MAKE_ONE = "openssl rand -hex 32";

    private Secrets() {
    }

    /**
     * Refuses to start with a short secret unless the simulated doorbell is on (a local run, where the
     * tests' and a newcomer's short tokens are fine).
     *
     * @throws IllegalStateException naming the setting, its environment variable and how to make a good one
     */
    static void requireStrong(String setting, @Nullable String value, DoorcastProperties properties) {
        if (value == null || properties.demo().enabled() || value.strip().length() >= MIN_LENGTH) {
            return;
        }
        throw new IllegalStateException(setting + " (environment variable " + environmentVariable(setting) + ") has "
                + value.strip().length() + " characters; a token or key needs at least " + MIN_LENGTH
                + " so that it cannot be guessed. Make one with: " + MAKE_ONE
                + " (hex: no '+' or '/' to escape in URLs and shells)");
    }

    /** {@code doorcast.security.device-token} is read from {@code DOORCAST_SECURITY_DEVICE_TOKEN} too. */
    static String environmentVariable(String setting) {
        return setting.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
