package dev.doorcast.viewer;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import dev.doorcast.testing.Browser;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.TestMedia;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The page as an app a phone installs, and rings pushed to it: the manifest and icons, the service worker
 * and the notification it shows for a pushed ring (delivered through DevTools, as Chromium here reaches no
 * push service), and the "Notify me when someone rings" control. The server's push endpoints are played by
 * the browser itself (a fetch that answers {@code /api/v1/push/...}), so the page's side is tested whatever
 * the server has.
 */
@LiveServerTest
class InstallablePageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TITLE = "Someone is at the door";

    @LocalServerPort
    int port;

    @Test
    void theManifestDescribesAnInstallableAppWithItsIcons() throws Exception {
        HttpResponse<byte[]> manifest = get("/manifest.webmanifest");
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(manifest.headers().firstValue("Content-Type").orElse("")).startsWith("application/manifest+json");
        JsonNode app = JSON.readTree(manifest.body());
        assertThat(app.path("name").asString()).isEqualTo("doorcast");
        assertThat(app.path("short_name").asString()).isNotBlank();
        assertThat(app.path("start_url").asString()).isEqualTo("/");
        assertThat(app.path("scope").asString()).isEqualTo("/");
        assertThat(app.path("display").asString()).isEqualTo("standalone");
        assertThat(app.path("background_color").asString()).as("the page's --bg").isEqualTo("#101418");
        assertThat(app.path("theme_color").asString()).isEqualTo("#101418");
        int maskable = 0;
        for (JsonNode icon : app.path("icons")) {
            HttpResponse<byte[]> png = get(icon.path("src").asString());
            assertThat(png.statusCode()).as(icon.toString()).isEqualTo(200);
            assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
            var image = ImageIO.read(new ByteArrayInputStream(png.body()));
            assertThat(image.getWidth() + "x" + image.getHeight()).as(icon.toString())
                    .isEqualTo(icon.path("sizes").asString());
            maskable += icon.path("purpose").asString().contains("maskable") ? 1 : 0;
        }
        assertThat(app.path("icons").valueStream().map(icon -> icon.path("sizes").asString()))
                .contains("192x192", "512x512");
        assertThat(maskable).isEqualTo(1);
        HttpResponse<byte[]> favicon = get("/favicon.ico");
        assertThat(favicon.statusCode()).isEqualTo(200);
        assertThat(favicon.headers().firstValue("Content-Type")).hasValue("image/x-icon");

        try (Browser browser = new Browser()) {
            open(browser, "/");
            Map<String, Object> parsed = browser.devTools("Page.getAppManifest", Map.of());
            assertThat(parsed.get("url")).isEqualTo(origin() + "/manifest.webmanifest");
            assertThat((List<?>) parsed.get("errors")).as("Chromium's complaints about the manifest").isEmpty();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat((List<?>) browser
                    .devTools("Page.getInstallabilityErrors", Map.of()).get("installabilityErrors"))
                    .as("why Chromium would not offer to install the page").isEmpty());
            assertThat(browser.script("return document.querySelector('link[rel=icon]').href"))
                    .isEqualTo(origin() + "/favicon.ico");
        }
    }

    @Test
    void theServiceWorkerIsNeverCachedAndThePageMayRunIt() throws Exception {
        HttpResponse<byte[]> worker = get("/sw.js");
        assertThat(worker.statusCode()).isEqualTo(200);
        assertThat(worker.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(worker.headers().firstValue("Cache-Control").orElse(""))
                .as("a new worker reaches every browser at its next visit").contains("no-cache");
        assertThat(new String(worker.body())).as("it sees no request: no fetch handler")
                .doesNotContain("'fetch'", "\"fetch\"");
        assertThat(get("/").headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("worker-src 'self'", "manifest-src 'self'");
    }

    @Test
    void aPushedRingShowsWhoRangAtWhichDoorAndOpensThePageAtIt() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(301));
        long ringId = Doorbell.ringId(doorbell.ring());
        try (Browser browser = new Browser()) {
            open(browser, "/");
            Object scope = browser.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    navigator.serviceWorker.ready.then(r => done(r.active.state + ' ' + r.scope));
                    """);
            assertThat(scope).isEqualTo("activated " + origin() + "/");
            // The page tells the worker the doors' names, and that this server's pictures open without a
            // credential.
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    caches.open('doorcast-push').then(c => c.match('/push-state.json'))
                        .then(r => r ? r.text() : '').then(done, e => done(String(e)));
                    """)).asString().contains("\"doorbell\":\"Front door\"", "\"open\":true"));
            browser.devTools("Browser.grantPermissions", Map.of("origin", origin(), "permissions",
                    List.of("notifications")));
            // No viewer page in front, as on a phone in a pocket: a page watching the door in front would
            // show the ring itself.
            browser.open(origin() + "/favicon.ico");
            long time = System.currentTimeMillis();

            browser.push(origin() + "/", """
                    {"type":"ring","device":"doorbell","ringId":%d,"time":%d}""".formatted(ringId, time), PATIENCE);

            String snapshot = "/api/v1/stream/rings/" + ringId + "/snapshot?device=doorbell";
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(notifications(browser)).hasSize(1));
            Map<?, ?> note = notifications(browser).getFirst();
            assertThat(note.get("title")).isEqualTo(TITLE);
            assertThat((String) note.get("body")).startsWith("Front door, ");
            assertThat(note.get("tag")).isEqualTo("doorcast-ring-doorbell-" + ringId);
            assertThat(note.get("renotify")).isEqualTo(true);
            assertThat(note.get("image")).isEqualTo(origin() + snapshot);
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) note.get("data");
            assertThat(data).containsEntry("device", "doorbell").containsEntry("ringId", ringId)
                    .containsEntry("time", time);
            HttpResponse<byte[]> picture = get(snapshot);
            assertThat(picture.statusCode()).as("the picture opens with no credential, as the browser fetches it")
                    .isEqualTo(200);
            assertThat(picture.headers().firstValue("Content-Type")).hasValue("image/jpeg");

            // Where a click on it leads when no page is open.
            open(browser, "/?device=doorbell&ring=" + ringId);
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(browser.find("ring-banner").isDisplayed()).isTrue();
                assertThat(browser.find("ring-banner").getDomAttribute("data-ring-id"))
                        .isEqualTo(String.valueOf(ringId));
            });
            // And what a page already open does when the worker tells it of the click.
            browser.find("ring-dismiss").click();
            browser.script("window.samePage = true; navigator.serviceWorker.dispatchEvent(new MessageEvent("
                    + "'message', { data: { type: 'ring', device: 'doorbell', ringId: arguments[0] } }))", ringId);
            await().atMost(PATIENCE).until(() -> browser.find("ring-banner").isDisplayed());
            assertThat(browser.script("return window.samePage")).as("the same page, its credential kept")
                    .isEqualTo(true);
        }
    }

    @Test
    void withoutAPushKeyTheControlStaysHiddenAndThePageOffersItsOwnNotifications() {
        try (Browser browser = new Browser()) {
            browser.beforeEachPage(pushServer(null));
            open(browser, "/");
            await().atMost(PATIENCE).until(() -> String.valueOf(browser.script("return JSON.stringify(window.pushServer.calls)"))
                    .contains("/api/v1/push/key"));
            await().during(Duration.ofSeconds(1)).atMost(PATIENCE)
                    .until(() -> !browser.find("push").isDisplayed());
            assertThat(browser.text("push-state")).isEmpty();
            assertThat(browser.find("notify").isDisplayed()).as("notifications while the page is open").isTrue();
        }
    }

    @Test
    void notifyMeAsksOnTheClickSubscribesForThisDoorAndStops() throws Exception {
        try (Browser browser = new Browser()) {
            browser.beforeEachPage(pushServer(publicKey()));
            open(browser, "/");
            await().atMost(PATIENCE).until(() -> browser.find("push").isDisplayed());
            assertThat(browser.text("push")).isEqualTo("Notify me when someone rings");
            assertThat(browser.find("notify").isDisplayed()).as("one offer, not two").isFalse();
            assertThat(browser.script("return Notification.permission")).as("nothing asked before the click")
                    .isEqualTo("default");

            browser.devTools("Browser.setPermission", Map.of("origin", origin(), "setting", "denied",
                    "permission", Map.of("name", "notifications")));
            browser.find("push").click();
            await().atMost(PATIENCE).until(() -> "blocked".equals(pushState(browser)));
            assertThat(browser.text("push-state")).contains("blocked", "site settings");

            // Chromium here reaches no push service: its subscribe is played by the test, failing, then working.
            browser.devTools("Browser.grantPermissions", Map.of("origin", origin(), "permissions",
                    List.of("notifications")));
            browser.script("""
                    PushManager.prototype.subscribe = () => Promise.reject(
                        new DOMException('Registration failed - push service not available', 'AbortError'));
                    """);
            browser.find("push").click();
            await().atMost(PATIENCE).until(() -> "no-service".equals(pushState(browser)));
            assertThat(browser.text("push-state")).contains("push service could not be reached");

            browser.script("""
                    PushManager.prototype.subscribe = async (options) => ({
                      endpoint: 'https://push.example/send/abc',
                      options,
                      toJSON: () => ({ endpoint: 'https://push.example/send/abc', expirationTime: null,
                                       keys: { p256dh: 'BPdh', auth: 'YXV0aA' } }),
                      unsubscribe: async () => true,
                    });
                    """);
            browser.find("push").click();
            await().atMost(PATIENCE).until(() -> "on".equals(pushState(browser)));
            assertThat(browser.text("push")).isEqualTo("Stop notifications");
            JsonNode posted = lastCall(browser);
            assertThat(posted.path("method").asString()).isEqualTo("POST");
            assertThat(posted.path("path").asString()).isEqualTo("/api/v1/push/subscriptions?device=doorbell");
            assertThat(JSON.readTree(posted.path("body").asString()).path("keys").path("auth").asString())
                    .isEqualTo("YXV0aA");
            assertThat(browser.script("return localStorage.getItem('doorcast.push')")).asString()
                    .contains("\"doorbell\":\"sub-1\"");

            browser.find("push").click();
            await().atMost(PATIENCE).until(() -> "off".equals(pushState(browser)));
            JsonNode deleted = lastCall(browser);
            assertThat(deleted.path("method").asString()).isEqualTo("DELETE");
            assertThat(deleted.path("path").asString()).isEqualTo("/api/v1/push/subscriptions/sub-1?device=doorbell");
            assertThat(browser.text("push")).isEqualTo("Notify me when someone rings");
            assertThat(browser.script("return localStorage.getItem('doorcast.push')")).isNull();
        }
    }

    /**
     * The server's push endpoints as the page sees them, played in the page: the key (404 when null), 201
     * with an id for a subscription, 204 for its deletion. Every call is kept in {@code window.pushServer.calls}.
     */
    private static String pushServer(@Nullable String publicKey) {
        return """
                window.pushServer = { calls: [] };
                const network = window.fetch;
                window.fetch = async (input, init = {}) => {
                  const url = new URL(String(input), location.href);
                  if (!url.pathname.startsWith('/api/v1/push/')) {
                    return network(input, init);
                  }
                  const method = init.method ?? 'GET';
                  window.pushServer.calls.push({ method, path: url.pathname + url.search, body: init.body ?? null });
                  const key = %s;
                  if (url.pathname === '/api/v1/push/key' && key) {
                    return Response.json({ publicKey: key });
                  }
                  if (url.pathname === '/api/v1/push/subscriptions' && method === 'POST') {
                    return Response.json({ id: 'sub-1' }, { status: 201 });
                  }
                  if (method === 'DELETE') {
                    return new Response(null, { status: 204 });
                  }
                  return Response.json({ success: false, status: 404 }, { status: 404 });
                };
                """.formatted(publicKey == null ? "null" : "'" + publicKey + "'");
    }

    /** A P-256 public key as the server's key endpoint gives it: the uncompressed point, base64url. */
    private static String publicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
        byte[] point = new byte[65];
        point[0] = 4;
        copy(key.getW().getAffineX(), point, 1);
        copy(key.getW().getAffineY(), point, 33);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(point);
    }

    private static void copy(BigInteger coordinate, byte[] into, int at) {
        byte[] bytes = coordinate.toByteArray();
        int length = Math.min(32, bytes.length);
        System.arraycopy(bytes, bytes.length - length, into, at + 32 - length, length);
    }

    private static @Nullable String pushState(Browser browser) {
        return browser.find("push-state").getDomAttribute("data-state");
    }

    private static JsonNode lastCall(Browser browser) {
        JsonNode calls = JSON.readTree(String.valueOf(browser.script("return JSON.stringify(window.pushServer.calls)")));
        return calls.get(calls.size() - 1);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<?, ?>> notifications(Browser browser) {
        return (List<Map<?, ?>>) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                navigator.serviceWorker.ready.then(r => r.getNotifications())
                    .then(notes => done(notes.map(n => ({ title: n.title, body: n.body, tag: n.tag,
                        renotify: n.renotify, image: n.image, data: n.data }))), e => done(String(e)));
                """);
    }

    /** The page waits for its picture's first frame before WebDriver counts it as loaded: there is one. */
    private void open(Browser browser, String path) {
        new Doorbell(port).postFrame(TestMedia.jpeg(300));
        browser.open(origin() + path);
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(origin() + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    private String origin() {
        return "http://127.0.0.1:" + port;
    }
}
