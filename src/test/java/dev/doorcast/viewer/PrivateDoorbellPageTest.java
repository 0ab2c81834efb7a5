package dev.doorcast.viewer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.doorcast.testing.Browser;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The page on a server with a viewer token (as in the prod profile): by access link or by token. */
@LiveServerTest
@TestPropertySource(properties = "doorcast.security.viewer-token=" + PrivateDoorbellPageTest.VIEWER_TOKEN)
class PrivateDoorbellPageTest {

    /** As {@code openssl rand -base64 32} makes them: a '+', a '/' and the '=' of padding. */
    static final String VIEWER_TOKEN = "q2+Vd/8kT0x1p9Lr+Z3wYh/5mN7aBc0eFgHiJkLmNo4=";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    private final ScheduledExecutorService device = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void sendFrames() {
        Doorbell doorbell = new Doorbell(port);
        device.scheduleAtFixedRate(() -> doorbell.postFrame(TestMedia.jpeg(5)), 0, 200, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stopDevice() {
        device.shutdownNow();
    }

    @Test
    void asksForAccessWithoutALinkAndShowsThePictureWithALinkOrTheToken() throws Exception {
        try (Browser browser = new Browser()) {
            browser.open(page("/"));
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(browser.text("status")).isEqualTo("Access needed");
                assertThat(browser.text("offline-detail")).contains("open the access link");
            });

            browser.open(page("/?access=" + URLEncoder.encode(newLink(), StandardCharsets.UTF_8)));
            assertShowsThePicture(browser);

            browser.open(page("/#token=" + VIEWER_TOKEN));
            assertShowsThePicture(browser);
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

    private static void assertShowsThePicture(Browser browser) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(browser.text("status")).isEqualTo("Live");
            assertThat(browser.find("offline").isDisplayed()).isFalse();
            assertThat(browser.script("return document.getElementById('camera').naturalWidth")).isEqualTo(64L);
        });
    }

    private String page(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private String newLink() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(page("/api/v1/stream/access")))
                        .header("Authorization", "Bearer " + VIEWER_TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonMapper.builder().build().readTree(response.body()).path("access").asString();
    }
}
