package dev.doorcast.viewer;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.doorcast.testing.Browser;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The page's frame rate against a doorbell whose rate the test sets: the test posts a frame every 800 ms,
 * 1.25 a second. The page samples the server's counters once a second and keeps the last 2 to 3 s, which
 * hold 2 or 3 of these frames: counted over the samples' own spacing, the rate reads 1.0 or 1.5, never
 * 1.25, the way a 5 fps doorbell read 5.5.
 */
@LiveServerTest
class FrameRatePageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    private final ScheduledExecutorService device = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopDevice() {
        device.shutdownNow();
    }

    @Test
    void theFrameRateIsTheDoorbellsOwn() {
        Doorbell doorbell = new Doorbell(port);
        AtomicInteger frame = new AtomicInteger();
        device.scheduleAtFixedRate(() -> doorbell.postFrame(TestMedia.jpeg(frame.incrementAndGet())),
                0, 800, TimeUnit.MILLISECONDS);
        try (Browser browser = new Browser()) {
            browser.open("http://127.0.0.1:" + port + "/");
            await().atMost(PATIENCE).until(() -> browser.text("fps").matches("\\d+\\.\\d fps"));

            // Several samples of the stats in a row, each giving the doorbell's 1.25 (shown 1.2 or 1.3).
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).untilAsserted(() ->
                    assertThat(Double.parseDouble(browser.text("fps").split(" ")[0]))
                            .as(browser.text("fps")).isBetween(1.15, 1.35));
        }
    }
}
