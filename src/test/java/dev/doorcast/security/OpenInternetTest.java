package dev.doorcast.security;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.SseReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * A server on the open internet: an owner's viewer token, a second doorbell with its own household's
 * viewer token, a metrics token for Prometheus. Nothing but the page and the probes is open; every
 * credential opens what it should and nothing more; no link can lock the household out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.security.viewer-token=" + OpenInternetTest.OWNER,
        "doorcast.security.metrics-token=" + OpenInternetTest.METRICS,
        "doorcast.devices.porch.token=" + OpenInternetTest.PORCH_DEVICE,
        "doorcast.devices.porch.viewer-token=" + OpenInternetTest.PORCH_VIEWER,
        "doorcast.limits.max-viewers=8",
        "doorcast.limits.reserved-viewers=3",
        "doorcast.limits.max-streams-per-client=3",
        "doorcast.security.access-ttl=3s",
})
class OpenInternetTest {

    static final String OWNER = "owner-viewer-token-0123";
    static final String METRICS = "metrics-token-0123456789";
    static final String PORCH_DEVICE = "porch-device-token-0123";
    static final String PORCH_VIEWER = "porch-viewer-token-0123";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String method, String path, String token) throws Exception {
        return send(method, path, token).statusCode();
    }

    private String link(String token, String query) throws Exception {
        HttpResponse<String> minted = send("POST", "/api/v1/stream/access" + query, token);
        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
        return JSON.readTree(minted.body()).path("access").asString();
    }

    @Test
    void onlyThePageAndTheProbesAreOpen() throws Exception {
        for (String open : new String[] {"/", "/index.html", "/viewer.js", "/viewer.css", "/actuator/health",
                "/actuator/health/liveness", "/actuator/health/readiness", "/manifest.webmanifest", "/sw.js",
                "/favicon.ico", "/icons/doorcast-192.png", "/icons/doorcast-maskable-512.png"}) {
            assertThat(status("GET", open, null)).as(open).isEqualTo(200);
        }
        for (String closed : new String[] {"/api/v1/devices", "/api/v1/stream/stats", "/api/v1/stream/camera/snapshot",
                "/actuator/prometheus", "/actuator", "/actuator/health/doorbell", "/v3/api-docs",
                "/swagger-ui.html", "/api/v1/nothing-here", "/error", "/icons/", "/push-state.json"}) {
            HttpResponse<String> response = send("GET", closed, null);
            assertThat(response.statusCode()).as(closed).isEqualTo(401);
            assertThat(response.body()).as(closed).contains("\"success\":false");
        }
    }

    @Test
    void headAndOptionsAreJudgedAsGetIs() throws Exception {
        assertThat(status("HEAD", "/api/v1/devices", null)).isEqualTo(401);
        assertThat(status("OPTIONS", "/api/v1/devices", null)).isEqualTo(401);
        assertThat(status("HEAD", "/api/v1/stream/camera/snapshot", null)).isEqualTo(401);
        assertThat(status("HEAD", "/actuator/prometheus", null)).isEqualTo(401);
        assertThat(status("HEAD", "/", null)).isEqualTo(200);
        assertThat(status("GET", "/?access=v1.stale.link", null)).as("a page opened with a bad link loads").isEqualTo(200);
        assertThat(status("HEAD", "/api/v1/devices", OWNER)).isEqualTo(200);
    }

    @Test
    void anonymousHealthIsTheSameWhetherTheDoorbellSendsOrNot() throws Exception {
        String quiet = send("GET", "/actuator/health", null).body();
        new Doorbell(port).postFrame(TestMedia.jpeg(1));
        String sending = send("GET", "/actuator/health", null).body();
        JsonNode parts = JSON.readTree(send("GET", "/actuator/health", OWNER).body()).path("components");

        assertThat(quiet).isEqualTo(sending).contains("\"status\":\"UP\"").doesNotContain("components");
        assertThat(parts.path("doorbell").path("status").asString()).isIn("UP", "OFFLINE");
        assertThat(JSON.readTree(send("GET", "/actuator/health", METRICS).body()).has("components")).isTrue();
        assertThat(JSON.readTree(send("GET", "/actuator/health", PORCH_VIEWER).body()).has("components"))
                .as("one household's token says nothing of the other doorbells").isFalse();
    }

    @Test
    void prometheusScrapesWithTheMetricsTokenWhichOpensNothingElse() throws Exception {
        HttpResponse<String> scrape = send("GET", "/actuator/prometheus", METRICS);

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("doorcast_viewers");
        assertThat(status("GET", "/actuator/prometheus", OWNER)).isEqualTo(200);
        assertThat(status("GET", "/actuator/prometheus", PORCH_VIEWER)).isEqualTo(403);
        assertThat(status("GET", "/api/v1/stream/stats", METRICS)).isEqualTo(403);
        assertThat(status("GET", "/api/v1/devices", METRICS)).isEqualTo(403);
        assertThat(status("POST", "/api/v1/stream/access", METRICS)).isEqualTo(403);
    }

    @Test
    void apiDocsAreTheOwners() throws Exception {
        assertThat(status("GET", "/v3/api-docs", OWNER)).isEqualTo(200);
        assertThat(status("GET", "/v3/api-docs", PORCH_VIEWER)).isEqualTo(403);
    }

    @Test
    void aHouseholdsTokenOpensItsDoorbellOnly() throws Exception {
        new Doorbell(port).postFrame(TestMedia.jpeg(7), java.util.Map.of("frame_id", "1"), PORCH_DEVICE);

        assertThat(status("GET", "/api/v1/stream/camera/snapshot?device=porch", PORCH_VIEWER)).isEqualTo(200);
        assertThat(status("GET", "/api/v1/stream/stats?device=porch", PORCH_VIEWER)).isEqualTo(200);
        assertThat(status("GET", "/api/v1/stream/stats", PORCH_VIEWER)).as("the default doorbell").isEqualTo(403);
        assertThat(status("GET", "/api/v1/stream/stats?device=doorbell", PORCH_VIEWER)).isEqualTo(403);
        assertThat(status("GET", "/api/v1/stream/stats?device=porch&device=doorbell", PORCH_VIEWER))
                .as("a device named twice").isEqualTo(403);
        assertThat(status("POST", "/api/v1/stream/access", PORCH_VIEWER)).isEqualTo(403);
        assertThat(status("POST", "/api/v1/stream/access?device=porch", PORCH_VIEWER)).isEqualTo(200);
        JsonNode listed = JSON.readTree(send("GET", "/api/v1/devices", PORCH_VIEWER).body()).path("devices");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("id").asString()).isEqualTo("porch");
        assertThat(JSON.readTree(send("GET", "/api/v1/devices", OWNER).body()).path("devices")).hasSize(2);
    }

    @Test
    void aLinkOpensOneDeviceAndItsScopeAndNothingElse() throws Exception {
        new Doorbell(port).postFrame(TestMedia.jpeg(3));
        String all = link(OWNER, "");
        String camera = link(OWNER, "?scope=camera");

        assertThat(all).startsWith("v2.doorbell.all.");
        assertThat(status("GET", "/api/v1/stream/camera/snapshot?access=" + all, null)).isEqualTo(200);
        assertThat(status("GET", "/api/v1/stream/stats?access=" + all, null)).isEqualTo(200);
        assertThat(status("GET", "/api/v1/stream/stats?device=porch&access=" + all, null)).isEqualTo(403);
        assertThat(status("GET", "/api/v1/stream/camera/snapshot?access=" + camera, null)).isEqualTo(200);
        assertThat(status("GET", "/api/v1/stream/stats?access=" + camera, null)).isEqualTo(403);
        assertThat(status("GET", "/api/v1/stream/audio?access=" + camera, null)).isEqualTo(403);
        assertThat(status("POST", "/api/v1/stream/access?access=" + all, null)).as("links make no links").isEqualTo(403);
        assertThat(status("GET", "/actuator/prometheus?access=" + all, null)).isEqualTo(403);
        assertThat(status("GET", "/api/v1/stream/stats?access=" + all + "&access=" + all, null)).isEqualTo(401);
        HttpResponse<String> wrong = send("GET", "/api/v1/stream/stats?access=" + all.replace(".all.", ".camera."), null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("not valid").doesNotContain("expired");
    }

    @Test
    void aLinkHoldsAFewStreamsAndNeverLocksTheHouseholdOut() throws Exception {
        new Doorbell(port).postFrame(TestMedia.jpeg(4));
        // Streams of other tests end when the server next writes to them; count from an empty server.
        await().atMost(Duration.ofSeconds(10)).until(() -> streamsOpen() == 0);
        List<MjpegReader> open = new ArrayList<>();
        try {
            String first = link(OWNER, "");
            for (int i = 0; i < 3; i++) {
                open.add(expectStream("/api/v1/stream/camera?access=" + first, 200));
            }
            try (MjpegReader refused = MjpegReader.open(port, "/api/v1/stream/camera?access=" + first, Duration.ofSeconds(5))) {
                assertThat(refused.status()).as("over the link's own cap").isEqualTo(503);
                assertThat(refused.headers()).containsKey("retry-after");
            }
            String second = link(OWNER, "");
            open.add(expectStream("/api/v1/stream/camera?access=" + second, 200, "Connection: close"));
            open.add(expectStream("/api/v1/stream/camera?access=" + second, 200));
            try (MjpegReader refused = MjpegReader.open(port, "/api/v1/stream/camera?access=" + second, Duration.ofSeconds(5))) {
                assertThat(refused.status()).as("links reach max-viewers minus the reserved").isEqualTo(503);
            }
            for (int i = 0; i < 3; i++) {
                open.add(expectStream("/api/v1/stream/camera", 200, "Authorization: Bearer " + OWNER));
            }
            try (MjpegReader full = MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(5),
                    "Authorization: Bearer " + OWNER)) {
                assertThat(full.status()).as("the server is full").isEqualTo(503);
            }
        } finally {
            for (MjpegReader reader : open) {
                reader.close();
            }
        }
        // They fill the links' share: the next test opens one, so wait until the server has let them go.
        await().atMost(Duration.ofSeconds(10)).until(() -> streamsOpen() == 0);
    }

    @Test
    void aStreamOpenedWithALinkEndsWhenTheLinkExpires() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(5));
        String access = link(OWNER, "");
        long expiresAt = Long.parseLong(access.split("\\.")[3]) * 1000;
        try (MjpegReader viewer = expectStream("/api/v1/stream/camera?access=" + access, 200);
             MjpegReader household = expectStream("/api/v1/stream/camera", 200, "Authorization: Bearer " + OWNER)) {
            viewer.readOpeningBoundary();
            household.readOpeningBoundary();
            assertThatIOException().isThrownBy(() -> {
                while (true) {
                    viewer.nextPart();
                }
            }).withMessageContaining("stream ended");
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(expiresAt);
            assertThat(household.nextPart().body()).as("the token's stream goes on").isNotEmpty();
        }
        assertThat(status("GET", "/api/v1/stream/camera/snapshot?access=" + access, null)).isEqualTo(401);
    }

    @Test
    void eventsRingsAndTalkAreForViewersWhoSeeEverythingAndTheSpeakerForTheDevice() throws Exception {
        new Doorbell(port).postFrame(TestMedia.jpeg(8));
        String all = link(OWNER, "");
        String camera = link(OWNER, "?scope=camera");

        assertThat(status("GET", "/api/v1/stream/rings", null)).isEqualTo(401);
        assertThat(status("GET", "/api/v1/stream/rings?access=" + camera, null)).as("rings are more than the picture")
                .isEqualTo(403);
        assertThat(status("GET", "/api/v1/stream/rings?access=" + all, null)).isEqualTo(200);
        assertThat(status("GET", "/api/v1/stream/rings", PORCH_VIEWER)).as("another household's").isEqualTo(403);
        try (SseReader anonymous = SseReader.open(port, "/api/v1/stream/events", Duration.ofSeconds(5));
                SseReader pictureOnly = SseReader.open(port, "/api/v1/stream/events?access=" + camera,
                        Duration.ofSeconds(5));
                SseReader household = SseReader.open(port, "/api/v1/stream/events", Duration.ofSeconds(5),
                        "Authorization: Bearer " + OWNER)) {
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(pictureOnly.status()).isEqualTo(403);
            assertThat(household.status()).isEqualTo(200);
        }
        // The next test counts streams: this one's must be gone (the server notices at its next keep-alive).
        await().atMost(Duration.ofSeconds(10)).until(() -> streamsOpen() == 0);
        Doorbell viewer = new Doorbell(port);
        String talkId = "security-" + System.nanoTime();
        assertThat(viewer.talk("", talkId, 0, new byte[2048]).statusCode()).isEqualTo(401);
        assertThat(viewer.talk("?access=" + camera, talkId, 0, new byte[2048]).statusCode()).isEqualTo(403);
        assertThat(viewer.talk("", talkId, 0, new byte[2048], "Authorization: Bearer " + PORCH_VIEWER).statusCode())
                .isEqualTo(403);
        assertThat(viewer.talk("", talkId, 0, new byte[2048], "Authorization: Bearer " + Doorbell.TOKEN).statusCode())
                .as("the device does not talk to itself").isEqualTo(401);
        assertThat(viewer.talk("?access=" + all, talkId, 0, new byte[2048]).statusCode()).isEqualTo(200);
        assertThat(viewer.talk("?device=porch", "porch-" + talkId, 0, new byte[2048],
                "Authorization: Bearer " + PORCH_VIEWER).statusCode()).isEqualTo(200);
        try (MjpegReader byViewer = MjpegReader.open(port, "/api/v1/devices/doorbell/speaker-stream",
                Duration.ofSeconds(5), "Authorization: Bearer " + OWNER);
                MjpegReader byDevice = MjpegReader.open(port, "/api/v1/devices/doorbell/speaker-stream",
                        Duration.ofSeconds(5), "Authorization: Bearer " + Doorbell.TOKEN)) {
            assertThat(byViewer.status()).as("a viewer token is no device token").isEqualTo(401);
            assertThat(byDevice.status()).isEqualTo(200);
        }
    }

    @Test
    void eventsStreamsCountAgainstTheLimitsAndEndWhenTheirLinkExpires() throws Exception {
        new Doorbell(port).postFrame(TestMedia.jpeg(9));
        await().atMost(Duration.ofSeconds(10)).until(() -> streamsOpen() == 0);
        String access = link(OWNER, "");
        long expiresAt = Long.parseLong(access.split("\\.")[3]) * 1000;
        List<SseReader> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(SseReader.open(port, "/api/v1/stream/events?access=" + access, Duration.ofSeconds(8)));
                assertThat(open.getLast().status()).isEqualTo(200);
            }
            try (SseReader refused = SseReader.open(port, "/api/v1/stream/events?access=" + access,
                    Duration.ofSeconds(5))) {
                assertThat(refused.status()).as("over the link's own cap, like any stream").isEqualTo(503);
            }
            SseReader events = open.getFirst();
            assertThatIOException().isThrownBy(() -> {
                while (true) {
                    events.next();
                }
            }).withMessageContaining("stream ended");
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(expiresAt);
        } finally {
            for (SseReader reader : open) {
                reader.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> streamsOpen() == 0);
    }

    @Test
    void anUnauthenticatedFormBodyIsNeverRead() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("POST /api/v1/stream/camera?device=doorbell HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n\r\naccess=")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            // Answered at once, without waiting for the 2 MB the client declared and never sends.
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 401");
        }
    }

    /** Camera viewers, listeners and events streams the server still counts, all devices together. */
    private int streamsOpen() throws Exception {
        int open = 0;
        for (JsonNode device : JSON.readTree(send("GET", "/api/v1/devices", OWNER).body()).path("devices")) {
            open += device.path("viewers").asInt() + device.path("listeners").asInt();
        }
        for (String line : send("GET", "/actuator/prometheus", METRICS).body().split("\n")) {
            if (line.startsWith("doorcast_event_streams{")) {
                open += (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return open;
    }

    private MjpegReader expectStream(String path, int status, String... headers) throws IOException {
        MjpegReader reader = MjpegReader.open(port, path, Duration.ofSeconds(8), headers);
        assertThat(reader.status()).as(path).isEqualTo(status);
        return reader;
    }
}
