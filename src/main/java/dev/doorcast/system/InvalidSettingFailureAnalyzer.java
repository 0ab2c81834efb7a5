package dev.doorcast.system;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a wrong doorcast setting into Spring Boot's short start-up report: what is wrong, and the setting,
 * its environment variable and what to do; the stack trace goes to the debug log only.
 */
final class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
        return new FailureAnalysis(cause.problem(),
                cause.action() + System.lineSeparator() + System.lineSeparator() + "    property:             "
                        + cause.setting() + System.lineSeparator() + "    environment variable: "
                        + InvalidSettingException.environmentVariable(cause.setting()),
                cause);
    }
}
