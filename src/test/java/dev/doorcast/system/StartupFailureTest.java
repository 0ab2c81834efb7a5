package dev.doorcast.system;

import dev.doorcast.DoorcastApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A wrong setting stops the start with a few lines that say what to do, not with a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    private static String failedStart(CapturedOutput output, String... args) {
        int before = output.getAll().length();
        assertThatThrownBy(() -> new SpringApplicationBuilder(DoorcastApplication.class)
                .run(withPort(args))).isNotNull();
        String printed = output.getAll().substring(before);
        assertThat(printed).contains("APPLICATION FAILED TO START");
        // The report alone: no WARN before it with the exception the report explains, dozens of lines long.
        assertThat(printed.substring(0, printed.indexOf("APPLICATION FAILED TO START")))
                .doesNotContain("cancelling refresh attempt").doesNotContain("UnsatisfiedDependencyException");
        return printed.substring(printed.indexOf("APPLICATION FAILED TO START"));
    }

    private static String[] withPort(String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = "--server.port=0";
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    @Test
    void theProdProfileWithoutAViewerTokenSaysWhichSettingAndHowToMakeOne(CapturedOutput output) {
        String report = failedStart(output, "--spring.profiles.active=prod",
                "--doorcast.security.device-token=device-token-0123456789");

        assertThat(report).contains("Viewers need a token here")
                .contains("doorcast.security.viewer-token").contains("DOORCAST_SECURITY_VIEWER_TOKEN")
                .contains("openssl rand -hex 32")
                .doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(report.lines().filter(line -> !line.isBlank()).count()).isLessThanOrEqualTo(12);
    }

    @Test
    void aShortTokenSaysHowLongItMustBe(CapturedOutput output) {
        String report = failedStart(output, "--doorcast.demo.enabled=false",
                "--doorcast.security.device-token=change-me");

        assertThat(report).contains("doorcast.security.device-token has 9 characters")
                .contains("DOORCAST_SECURITY_DEVICE_TOKEN").doesNotContain("\tat ");
    }

    @Test
    void noDeviceTokenOutsideTheDemoSaysWhatTheDoorbellSends(CapturedOutput output) {
        String report = failedStart(output, "--doorcast.demo.enabled=false");

        assertThat(report).contains("No device token is configured")
                .contains("Authorization: Bearer").contains("DOORCAST_SECURITY_DEVICE_TOKEN")
                .doesNotContain("\tat ");
    }

    @Test
    void anEmptyMemoryBudgetSaysWhatToSet(CapturedOutput output) {
        String report = failedStart(output, "--doorcast.demo.enabled=false",
                "--doorcast.security.device-token=device-token-0123456789", "--doorcast.buffer.max-memory=0B");

        assertThat(report).contains("doorcast.buffer.max-memory").contains("DOORCAST_BUFFER_MAX_MEMORY")
                .contains("a quarter of the heap").doesNotContain("\tat ");
    }
}
