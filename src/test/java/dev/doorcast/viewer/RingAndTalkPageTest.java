package dev.doorcast.viewer;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.doorcast.testing.Browser;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import dev.doorcast.testing.Tone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The page's side of rings and talk in a real headless Chromium whose microphone is a file: a tone of a
 * known frequency, made here. The test is the doorbell: it posts frames, rings, and reads its speaker.
 */
@LiveServerTest
class RingAndTalkPageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final double TONE_HZ = 700;

    @TempDir
    static Path dir;

    private static Browser browser;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowserWithAFakeMicrophone() throws Exception {
        Path tone = dir.resolve("tone.wav");
        Files.write(tone, Tone.wav(TONE_HZ, 48_000, 10));
        browser = new Browser("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--use-file-for-fake-audio-capture=" + tone.toAbsolutePath());
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
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(970));
        browser.resize(1100, 900);
        browser.open("http://127.0.0.1:" + port + "/");
        // The recent rings show once the events stream is open.
        await().atMost(PATIENCE).until(() -> browser.find("rings").isDisplayed());
    }

    @Test
    void aRingShowsWhoIsAtTheDoorChimesNotifiesAndJoinsTheRecentRings() {
        // The page as a background tab whose viewer allowed notifications.
        browser.script("""
                window.notes = [];
                window.Notification = class {
                  constructor(title, options) { window.notes.push({ title, body: options.body }); }
                  static get permission() { return 'granted'; }
                  addEventListener() {}
                };
                Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
                """);
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(971));
        long ringId = Doorbell.ringId(doorbell.ring());

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(browser.find("ring-banner").isDisplayed()).isTrue();
            assertThat(browser.find("ring-banner").getDomAttribute("data-ring-id")).isEqualTo(String.valueOf(ringId));
            assertThat(((Number) browser.script("return document.getElementById('ring-picture').naturalWidth"))
                    .intValue()).as("the picture of who rang").isGreaterThan(0);
        });
        assertThat(browser.text("ring-banner")).contains("Someone is at the door");
        assertThat(browser.text("ring-time")).matches("at \\d{2}:\\d{2}:\\d{2}.*");
        assertThat(browser.find("ring-banner").getDomAttribute("data-chime")).isEqualTo("played");
        assertThat(browser.script("return window.notes.map(n => n.title)").toString())
                .contains("Someone is at the door");
        assertThat(browser.find("ring-list").findElement(org.openqa.selenium.By.cssSelector("button"))
                .getDomAttribute("data-ring-id")).isEqualTo(String.valueOf(ringId));
        browser.screenshot("viewer-ring.png");

        browser.find("ring-clip").click();
        await().atMost(PATIENCE).until(() -> ((Number) browser.script(
                "return document.getElementById('clip').naturalWidth")).intValue() > 0);
        assertThat(browser.find("clip-dialog").isDisplayed()).isTrue();
    }

    @Test
    void holdToTalkCarriesTheMicrophoneToTheDoorbellsSpeaker() throws Exception {
        try (MjpegReader speaker = MjpegReader.open(port, "/api/v1/devices/doorbell/speaker-stream",
                Duration.ofSeconds(10), "Authorization: Bearer " + Doorbell.TOKEN)) {
            assertThat(speaker.status()).isEqualTo(200);
            await().atMost(PATIENCE).until(() -> browser.find("talk").isEnabled());
            browser.hold("talk");
            try {
                await().atMost(PATIENCE).until(() -> "talking".equals(
                        browser.find("talk-state").getDomAttribute("data-state")));
                byte[] voice = speech(speaker, 32_000);
                // Kept beside the screenshots: ffplay -f s16le -ar 16000 -ch_layout mono talk-speaker.pcm
                Files.write(Browser.ARTIFACTS.resolve("talk-speaker.pcm"), voice);
                short[] samples = Tone.samples(voice);

                assertThat(Tone.loudest(samples, 16_000, 100, 4000, 10)).as("the loudest frequency the doorbell hears")
                        .isCloseTo(TONE_HZ, within(20.0));
                assertThat(Tone.power(samples, TONE_HZ, 16_000))
                        .as("the tone stands far above what is not it")
                        .isGreaterThan(20 * Tone.power(samples, 2 * TONE_HZ + 150, 16_000));
            } finally {
                browser.release("talk");
            }
            await().atMost(PATIENCE).until(() -> "idle".equals(browser.find("talk-state").getDomAttribute("data-state")));
            assertThat(browser.find("talk").getDomAttribute("aria-pressed")).isEqualTo("false");
        }
    }

    @Test
    void talkingWithNoSpeakerAtTheDoorSaysNobodyIsListening() {
        // No speaker stream and no link from the doorbell: the talk answers say speakers: 0.
        await().atMost(PATIENCE).until(() -> browser.find("talk").isEnabled());
        browser.hold("talk");
        try {
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(browser.find("talk-state").getDomAttribute("data-state")).isEqualTo("unheard");
                assertThat(browser.text("talk-state")).isEqualTo("Talking: nobody is listening at the door");
            });
            browser.screenshot("viewer-talk-unheard.png");
        } finally {
            browser.release("talk");
        }
        await().atMost(PATIENCE).until(() -> "idle".equals(browser.find("talk-state").getDomAttribute("data-state")));
    }

    @Test
    void whileSomeoneElseTalksThePageSaysSo() throws Exception {
        Doorbell other = new Doorbell(port);
        AtomicBoolean talking = new AtomicBoolean(true);
        String otherId = "other-talker-" + System.nanoTime();
        await().atMost(PATIENCE).until(() -> other.talk("", otherId, 0, TestMedia.pcm(0, 2048)).statusCode() == 200);
        CompletableFuture<Void> holding = CompletableFuture.runAsync(() -> {
            for (int i = 1; talking.get(); i++) {
                other.talk("", otherId, i, TestMedia.pcm(i, 2048));
                pause(100);
            }
        });
        try {
            await().atMost(PATIENCE).until(() -> browser.find("talk").isEnabled());
            browser.hold("talk");
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(browser.find("talk-state").getDomAttribute("data-state")).isEqualTo("busy");
                assertThat(browser.text("talk-state")).isEqualTo("Someone else is talking");
            });
            browser.screenshot("viewer-talk-busy.png");
        } finally {
            browser.release("talk");
            talking.set(false);
            holding.get();
        }
    }

    /** {@code count} bytes of the speaker stream from the first that is not silence. */
    private static byte[] speech(MjpegReader speaker, int count) throws Exception {
        byte[] pair = speaker.readBytes(2);
        while (pair[0] == 0 && pair[1] == 0) {
            pair = speaker.readBytes(2);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(pair);
        // The first few chunks hold the microphone warming up; skip a quarter second of them.
        speaker.readBytes(8000);
        out.writeBytes(speaker.readBytes(count - 2));
        return out.toByteArray();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // the other talker's pace
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
