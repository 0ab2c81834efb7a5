package dev.doorcast.viewer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.doorcast.testing.Browser;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.TestMedia;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The page on a server with a viewer token (as in the prod profile): by access link or by token, and what
 * it says without either. Links live 6 s here, so that a test sees several of them expire.
 */
@LiveServerTest
@TestPropertySource(properties = {
        "doorcast.security.viewer-token=" + PrivateDoorbellPageTest.VIEWER_TOKEN,
        "doorcast.security.access-ttl=6s",
})
class PrivateDoorbellPageTest {

    /** As {@code openssl rand -base64 32} makes them: a '+', a '/' and the '=' of padding. */
    static final String VIEWER_TOKEN = "q2+Vd/8kT0x1p9Lr+Z3wYh/5mN7aBc0eFgHiJkLmNo4=";
    private static final Duration LINK_TTL = Duration.ofSeconds(6);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    private final ScheduledExecutorService device = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger frame = new AtomicInteger();

    /** A new picture every 200 ms, each different, so that a picture that stops moving shows. */
    @BeforeEach
    void sendFrames() {
        Doorbell doorbell = new Doorbell(port);
        device.scheduleAtFixedRate(() -> doorbell.postFrame(TestMedia.jpeg(frame.incrementAndGet())),
                0, 200, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stopDevice() {
        device.shutdownNow();
    }

    @Test
    void withoutAccessThePageSaysSoWithNoBrokenPictureAndItsControlsOff() {
        try (Browser browser = new Browser()) {
            browser.open(page("/"));

            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(browser.text("status")).isEqualTo("Access needed");
                assertThat(browser.text("offline-detail")).contains("open the access link");
            });
            assertControlsOff(browser);
            assertThat(browser.script("return document.querySelectorAll('.screen img[src]').length"))
                    .as("no <img> left trying a stream it may not open").isEqualTo(0L);
            assertThat(browser.find("camera").isDisplayed()).as("no broken-image icon").isFalse();
            browser.screenshot("viewer-access-needed.png");
        }
    }

    @Test
    void aWrongTokenOrLinkIsCalledWrongNotExpired() {
        try (Browser browser = new Browser()) {
            browser.open(page("/#token=not-the-viewer-token"));
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(browser.text("status")).isEqualTo("Access needed");
                assertThat(browser.text("offline-detail")).contains("wrong").doesNotContain("expired");
            });
            assertControlsOff(browser);

            browser.open(page("/?access=1795651200.forged"));
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(browser.text("status")).isEqualTo("Access needed");
                assertThat(browser.text("offline-detail")).contains("wrong").doesNotContain("expired");
            });
            assertControlsOff(browser);
        }
    }

    @Test
    void aTokenWithPlusSlashAndEqualsOpensThePictureAndLeavesTheAddressBar() {
        try (Browser browser = new Browser()) {
            // Pasted as openssl printed it...
            browser.open(page("/#token=" + VIEWER_TOKEN));
            assertShowsThePicture(browser);
            assertThat(browser.url()).isEqualTo(page("/"));
            assertThat(browser.script("return location.hash")).isEqualTo("");

            // ...and percent-encoded, as a link-making tool would.
            browser.open(page("/#token=" + URLEncoder.encode(VIEWER_TOKEN, StandardCharsets.UTF_8)));
            assertShowsThePicture(browser);
            assertThat(browser.url()).doesNotContain("token");
        }
    }

    @Test
    void aLinkShowsThePictureUntilItExpiresThenSaysSo() throws Exception {
        try (Browser browser = new Browser()) {
            browser.open(page("/?access=" + URLEncoder.encode(newLink(), StandardCharsets.UTF_8)));
            assertShowsThePicture(browser);

            await().atMost(LINK_TTL.plus(PATIENCE)).untilAsserted(() -> {
                assertThat(browser.text("status")).isEqualTo("Access needed");
                assertThat(browser.find("offline").getText()).contains("Access link expired");
                assertThat(browser.text("offline-detail")).isEqualTo("This access link has expired: ask for a new one.");
            });
            assertControlsOff(browser);
            browser.screenshot("viewer-link-expired.png");
        }
    }

    @Test
    void withTheTokenThePageRenewsItsLinkAndThePictureKeepsMovingPastSeveralExpiries() {
        try (Browser browser = new Browser()) {
            browser.open(page("/#token=" + VIEWER_TOKEN));
            assertShowsThePicture(browser);

            PictureWatch watch = new PictureWatch(browser);
            await().during(LINK_TTL.multipliedBy(4)).atMost(LINK_TTL.multipliedBy(5))
                    .pollInterval(Duration.ofMillis(100)).untilAsserted(watch::sample);

            assertThat(watch.links).as("links the picture moved to").hasSizeGreaterThanOrEqualTo(4);
            assertThat(watch.longestStill().toMillis())
                    .as("longest the picture stood still, ms (a frame comes every 200 ms)").isLessThan(2000);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("viewers"))
                    .as("each old stream closed once the picture moved on").isEqualTo("1"));
        }
    }

    private static void assertShowsThePicture(Browser browser) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(browser.text("status")).isEqualTo("Live");
            assertThat(browser.find("offline").isDisplayed()).isFalse();
            assertThat(browser.script("return document.getElementById('camera').naturalWidth")).isEqualTo(64L);
            assertThat(browser.find("audio-toggle").isEnabled()).isTrue();
        });
    }

    /** Off, and out of sight: no greyed buttons, no links to streams that would answer 401. */
    private static void assertControlsOff(Browser browser) {
        assertThat(browser.find("audio-toggle").isEnabled()).isFalse();
        assertThat(browser.find("snapshot").isEnabled()).isFalse();
        assertThat(browser.find("audio-toggle").isDisplayed()).isFalse();
        assertThat(browser.find("snapshot").isDisplayed()).isFalse();
        assertThat(browser.find("talk").isDisplayed()).isFalse();
        assertThat(browser.script("return [...document.querySelectorAll('footer a')]"
                + ".filter(link => link.getClientRects().length > 0).length")).as("stream links shown").isEqualTo(0L);
    }

    /** Samples the page's picture: the links its stream was on, and how long it ever stood still. */
    private static final class PictureWatch {

        private final Browser browser;
        private final Set<String> links = new HashSet<>();
        private @Nullable Object hash;
        private long changed = System.nanoTime();
        private Duration longestStill = Duration.ZERO;

        PictureWatch(Browser browser) {
            this.browser = browser;
            this.hash = browser.pictureHash();
        }

        void sample() {
            @SuppressWarnings("unchecked")
            Map<String, Object> shown = (Map<String, Object>) browser.script("""
                    const img = document.getElementById('camera');
                    return {link: new URL(img.src).searchParams.get('access'),
                            expiresAt: Number(img.dataset.expiresAt), now: Date.now()};
                    """);
            links.add((String) shown.get("link"));
            assertThat(((Number) shown.get("expiresAt")).longValue())
                    .as("the picture's stream is on a link that has not expired")
                    .isGreaterThan(((Number) shown.get("now")).longValue());
            Object next = browser.pictureHash();
            if (!Objects.equals(next, hash)) {
                longestStill();
                changed = System.nanoTime();
                hash = next;
            }
        }

        Duration longestStill() {
            Duration still = Duration.ofNanos(System.nanoTime() - changed);
            if (still.compareTo(longestStill) > 0) {
                longestStill = still;
            }
            return longestStill;
        }
    }

    private String page(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private String newLink() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(page("/api/v1/stream/access?device=doorbell")))
                        .header("Authorization", "Bearer " + VIEWER_TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonMapper.builder().build().readTree(response.body()).path("access").asString();
    }
}
