package dev.doorcast.viewer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.doorcast.testing.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The page at / in a real headless Chromium, against the whole server with the simulated doorbell on: what
 * a newcomer sees after {@code ./mvnw spring-boot:run}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "doorcast.demo.enabled=true")
class ViewerPageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /**
     * Listens to what the page's audio player sends to the speakers and returns the loudest frequency, Hz.
     * The simulated doorbell hums at 220 Hz and chimes at 523 and 659 Hz; samples decoded wrongly (the
     * wrong byte order, a lost odd byte) would be noise with its peak anywhere.
     */
    private static final String LOUDEST_FREQUENCY = """
            const done = arguments[arguments.length - 1];
            const context = audio.context;
            const analyser = context.createAnalyser();
            analyser.fftSize = 4096;
            audio.player.output.connect(analyser);
            setTimeout(() => {
              const bins = new Float32Array(analyser.frequencyBinCount);
              analyser.getFloatFrequencyData(bins);
              let loudest = 1;
              for (let i = 2; i < bins.length; i++) if (bins[i] > bins[loudest]) loudest = i;
              audio.player.output.disconnect(analyser);
              done(loudest * context.sampleRate / analyser.fftSize);
            }, 300);
            """;

    private static Browser browser;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() {
        browser = new Browser();
    }

    /** Each test's page, not only the last, ran under its Content-Security-Policy. */
    @AfterEach
    void pageKeptItsPolicy() {
        browser.assertNoPolicyViolations();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void openPage() {
        browser.resize(1100, 800);
        browser.open("http://127.0.0.1:" + port + "/");
    }

    @Test
    void showsTheLivePictureAndItKeepsMoving() {
        await().atMost(PATIENCE).until(() -> browser.script("return document.getElementById('camera').naturalWidth"),
                width -> ((Number) width).intValue() > 0);
        Object first = await().atMost(PATIENCE).until(browser::pictureHash, hash -> hash != null);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.pictureHash())
                .as("the picture changes as the doorbell's frames arrive").isNotNull().isNotEqualTo(first));
        assertThat(browser.text("status")).isEqualTo("Live");
        assertThat(browser.find("offline").isDisplayed()).isFalse();
    }

    @Test
    void statsShowTheDoorbellOnlineAndKeepUpdating() {
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(browser.text("device")).isEqualTo("online");
            assertThat(browser.text("uplink")).as("the simulated doorbell posts").isEqualTo("posts");
            assertThat(browser.text("fps")).matches("\\d+\\.\\d fps");
            assertThat(Double.parseDouble(browser.text("fps").split(" ")[0])).isBetween(3.0, 7.0);
            assertThat(Integer.parseInt(browser.text("viewers"))).as("this page itself").isGreaterThanOrEqualTo(1);
            assertThat(browser.text("listeners")).matches("\\d+");
        });
        long lastFrame = lastFrameShown();

        await().atMost(PATIENCE).until(() -> lastFrameShown() > lastFrame);
        assertThat(Long.parseLong(browser.find("frame-age").getDomAttribute("data-ms")))
                .as("the newest frame is fresh while the doorbell sends").isLessThan(2000);
    }

    @Test
    void lastFrameSaysLiveWithoutFlickerWhileFramesArrive() {
        await().atMost(PATIENCE).until(() -> browser.text("frame-age").equals("live"));

        // Three stats polls' worth, each seeing the age saw-tooth between 0 and about a second.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(browser.text("frame-age")).isEqualTo("live"));
    }

    @Test
    void startAudioPlaysTheDoorbellWithinTheSyncWindowOfThePicture() {
        assertAudioPlaysInSync("worklet");
        browser.screenshot("viewer.png");

        browser.find("audio-toggle").click();
        assertThat(browser.text("audio-delay")).isEqualTo("audio off");
        assertThat(browser.text("audio-toggle")).isEqualTo("Start audio");
        assertThat(browser.find("level").isDisplayed()).isFalse();
    }

    @Test
    void withoutAudioWorkletScheduledBuffersPlayTheDoorbellWithinTheSyncWindow() {
        // What a phone gets on http://<lan address>/, where browsers hide AudioWorklet.
        browser.open("http://127.0.0.1:" + port + "/?audio=scheduled");

        assertAudioPlaysInSync("scheduled");
    }

    private void assertAudioPlaysInSync(String player) {
        await().atMost(PATIENCE).until(() -> browser.text("status").equals("Live"));
        assertThat(browser.find("level").isDisplayed()).as("no empty level bar before audio").isFalse();
        browser.find("audio-toggle").click();

        await().atMost(PATIENCE).untilAsserted(() -> {
            var delay = browser.find("audio-delay");
            assertThat(delay.getDomAttribute("data-ms")).as("audio plays: %s", delay.getText()).isNotNull();
            assertThat(delay.getDomAttribute("data-player")).isEqualTo(player);
            assertThat(Integer.parseInt(delay.getDomAttribute("data-ms"))).as("audio behind the live picture, ms")
                    .isLessThan(500);
            assertThat(Double.parseDouble(browser.find("level-bar").getDomAttribute("data-level")))
                    .as("samples that are not silence reach the speakers").isGreaterThan(0.01);
            assertThat(browser.find("level").isDisplayed()).isTrue();
            assertThat(Integer.parseInt(browser.text("listeners"))).as("the server counts this page")
                    .isGreaterThanOrEqualTo(1);
        });
        assertThat(browser.text("audio-toggle")).isEqualTo("Stop audio");
        assertThat(((Number) browser.asyncScript(LOUDEST_FREQUENCY)).doubleValue())
                .as("loudest frequency played, Hz").satisfiesAnyOf(
                        hz -> assertThat(hz).isCloseTo(220, within(12.0)),
                        hz -> assertThat(hz).isCloseTo(523.25, within(12.0)),
                        hz -> assertThat(hz).isCloseTo(659.25, within(12.0)));
    }

    @Test
    void snapshotButtonDownloadsTheCurrentFrameAsJpeg() throws Exception {
        await().atMost(PATIENCE).until(() -> browser.text("status").equals("Live"));
        browser.find("snapshot").click();

        Path file = await().atMost(PATIENCE).until(() -> browser.downloads().findFirst().orElse(null),
                f -> f != null && f.toFile().length() > 0);
        assertThat(file.getFileName().toString()).startsWith("doorbell-").endsWith(".jpg");
        assertThat(Files.readAllBytes(file)).startsWith((byte) 0xFF, (byte) 0xD8);
    }

    @Test
    void fitsAPhoneScreenWithoutSideways() {
        browser.resize(390, 844);
        await().atMost(PATIENCE).until(() -> browser.text("status").equals("Live"));

        Object overflow = browser.script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(((Number) overflow).intValue()).as("no horizontal scrolling").isLessThanOrEqualTo(0);
        assertThat(browser.find("camera").getRect().getWidth()).isLessThanOrEqualTo(390);
        browser.screenshot("viewer-phone.png");
    }

    private static long lastFrameShown() {
        String value = browser.find("frame-age").getDomAttribute("data-last-frame");
        return value == null ? 0 : Long.parseLong(value);
    }
}
