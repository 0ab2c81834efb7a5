package dev.doorcast.system;

import java.util.Locale;

/**
 * A doorcast setting that is missing or wrong, found while starting. The start stops with a few lines
 * (see {@link InvalidSettingFailureAnalyzer}) saying what is wrong, the setting and its environment
 * variable, and what to do, instead of a stack trace.
 */
public final class InvalidSettingException extends IllegalStateException {

    private final String setting;
    private final String problem;
    private final String action;

    /**
     * @param setting the property, e.g. {@code doorcast.security.device-token}
     * @param problem what is wrong, in a sentence
     * @param action what to do about it, in a sentence or two
     */
    public InvalidSettingException(String setting, String problem, String action) {
        super(problem + " " + action + " (" + setting + ", environment variable " + environmentVariable(setting) + ")");
        this.setting = setting;
        this.problem = problem;
        this.action = action;
    }

    public String setting() {
        return setting;
    }

    public String problem() {
        return problem;
    }

    public String action() {
        return action;
    }

    /** {@code doorcast.security.device-token} is read from {@code DOORCAST_SECURITY_DEVICE_TOKEN} too. */
    public static String environmentVariable(String setting) {
        return setting.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
