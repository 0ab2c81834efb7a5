package dev.doorcast.viewer;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.doorcast.testing.Browser;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The page when the doorbell goes quiet and comes back: the test is the doorbell here, so that it can stop
 * and resume; the server calls a device offline after one second without frames to keep the test short.
 */
@LiveServerTest
@TestPropertySource(properties = "doorcast.presence.offline-after=1s")
class OfflineStateTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    private final ScheduledExecutorService device = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger frame = new AtomicInteger();

    @AfterEach
    void stopDevice() {
        device.shutdownNow();
    }

    @Test
    void showsOfflineWhenFramesStopAndRecoversByItselfWhenTheyResume() {
        Doorbell doorbell = new Doorbell(port);
        ScheduledFuture<?> sending = sendFrames(doorbell);
        try (Browser browser = new Browser()) {
            browser.open("http://127.0.0.1:" + port + "/");
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(browser.text("status")).isEqualTo("Live");
                assertThat(browser.find("offline").isDisplayed()).isFalse();
                assertThat(browser.script("return document.getElementById('camera').naturalWidth"))
                        .isEqualTo(64L);
            });

            sending.cancel(false);
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(browser.text("status")).isEqualTo("Doorbell offline");
                assertThat(browser.find("offline").isDisplayed()).isTrue();
                assertThat(browser.text("offline-detail")).startsWith("Last picture").endsWith("ago.");
                assertThat(browser.text("device")).isEqualTo("offline");
            });
            browser.screenshot("viewer-offline.png");

            int framesBefore = frame.get();
            sendFrames(doorbell);
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(browser.text("status")).isEqualTo("Live");
                assertThat(browser.find("offline").isDisplayed()).isFalse();
                assertThat(browser.text("device")).isEqualTo("online");
            });
            assertThat(frame.get()).isGreaterThan(framesBefore);
        }
    }

    private ScheduledFuture<?> sendFrames(Doorbell doorbell) {
        return device.scheduleAtFixedRate(() -> {
            int n = frame.incrementAndGet();
            doorbell.postFrame(TestMedia.jpeg(n));
        }, 0, 200, TimeUnit.MILLISECONDS);
    }
}
