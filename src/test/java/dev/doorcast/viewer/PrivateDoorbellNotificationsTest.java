package dev.doorcast.viewer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.doorcast.testing.Browser;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A ring pushed from a private doorbell (a server with a viewer token, configured as
 * {@link PrivateDoorbellPageTest}, whose server it shares): the browser would fetch the notification's
 * picture with no credential, which the server refuses, so the notification comes without one.
 */
@LiveServerTest
@TestPropertySource(properties = {
        "doorcast.security.viewer-token=" + PrivateDoorbellPageTest.VIEWER_TOKEN,
        "doorcast.security.access-ttl=6s",
})
class PrivateDoorbellNotificationsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    @Test
    void aPushedRingFromAPrivateDoorbellComesWithoutAPictureNobodyCouldOpen() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(501));
        long ringId = Doorbell.ringId(doorbell.ring());
        String origin = "http://127.0.0.1:" + port;
        try (Browser browser = new Browser()) {
            doorbell.postFrame(TestMedia.jpeg(502));
            browser.open(origin + "/#token=" + URLEncoder.encode(PrivateDoorbellPageTest.VIEWER_TOKEN,
                    StandardCharsets.UTF_8));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    caches.open('doorcast-push').then(c => c.match('/push-state.json'))
                        .then(r => r ? r.text() : '').then(done, e => done(String(e)));
                    """)).asString().contains("\"doorbell\":\"Front door\"", "\"open\":false"));
            browser.devTools("Browser.grantPermissions", Map.of("origin", origin, "permissions",
                    List.of("notifications")));
            browser.open(origin + "/favicon.ico");

            browser.push(origin + "/", """
                    {"type":"ring","device":"doorbell","ringId":%d,"time":%d}""".formatted(ringId,
                    System.currentTimeMillis()), PATIENCE);

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    navigator.serviceWorker.ready.then(r => r.getNotifications())
                        .then(notes => done(notes.map(n => `${n.title}|${n.body}|${n.image}`)), e => done(String(e)));
                    """)).asString().startsWith("[Someone is at the door|Front door, ").endsWith("|]"));
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<Void> anonymous = http.send(HttpRequest.newBuilder(URI.create(
                    origin + "/api/v1/stream/rings/" + ringId + "/snapshot?device=doorbell")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(anonymous.statusCode()).as("the ring's picture without a credential").isEqualTo(401);
        }
    }
}
