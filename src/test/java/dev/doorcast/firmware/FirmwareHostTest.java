package dev.doorcast.firmware;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The firmware's protocol code (firmware/lib/doorcast) built for this machine by firmware/host's CMake
 * project, and its ctest suite run against this server: the unit tests, and the live tests that post frames
 * and audio the way the doorbell does and read the streams back the way a display and a speaker do. cmake
 * and g++ come from Debian (.ci/run installs them).
 */
@LiveServerTest
class FirmwareHostTest {

    private static final Path SOURCE = Path.of("firmware", "host");
    private static final Path BUILD = Path.of("target", "firmware-host");

    @LocalServerPort
    int port;

    @Test
    void firmwareProtocolCodePassesItsHostTestsAgainstARunningServer() throws Exception {
        Result configured = run(List.of("cmake", "-S", SOURCE.toString(), "-B", BUILD.toString(),
                "-DCMAKE_BUILD_TYPE=Debug"), Map.of());
        assertThat(configured.exitCode()).as(configured.output()).isZero();
        Result built = run(List.of("cmake", "--build", BUILD.toString(), "-j", "2"), Map.of());
        assertThat(built.exitCode()).as(built.output()).isZero();

        Result tested = run(List.of("ctest", "--test-dir", BUILD.toString(), "--output-on-failure",
                "--no-tests=error"), Map.of(
                "DOORCAST_URL", "http://127.0.0.1:" + port,
                "DOORCAST_TOKEN", Doorbell.TOKEN));
        System.out.println(tested.output());
        assertThat(tested.exitCode()).as(tested.output()).isZero();
        // The live tests ran against this server rather than being skipped, for want of DOORCAST_URL or
        // because another doorbell sends to it.
        assertThat(tested.output())
                .contains("100% tests passed")
                .containsPattern("Test +#\\d+: live \\.+ +Passed")
                // The doorbell's link client against this server's link, directly and at 100 and 200 ms.
                .containsPattern("Test +#\\d+: live_link \\.+ +Passed")
                // The Arduino files compiled against the ESP32 headers' stand-ins (firmware/host/esp32-api).
                .containsPattern("Test +#\\d+: esp32_doorbell \\.+ +Passed");
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs a command in the project directory with extra environment variables; at most three minutes. */
    private static Result run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
