package dev.doorcast.security;

import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.InvalidSettingException;
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
     * @throws InvalidSettingException naming the setting, its environment variable and how to make a good one
     */
    static void requireStrong(String setting, @Nullable String value, DoorcastProperties properties) {
        if (value == null || properties.demo().enabled() || value.strip().length() >= MIN_LENGTH) {
            return;
        }
        throw new InvalidSettingException(setting, setting + " has " + value.strip().length() + " characters; a token "
                + "or key needs at least " + MIN_LENGTH + " so that it cannot be guessed.", "Make one with "
                + MAKE_ONE + " (hex: no '+' or '/' to escape in URLs and shells).");
    }

    static String environmentVariable(String setting) {
        return InvalidSettingException.environmentVariable(setting);
    }
}
