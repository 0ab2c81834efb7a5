package dev.doorcast.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.security.viewer-token=" + ViewerAuthTest.VIEWER_TOKEN,
        "doorcast.cors.allowed-origins=https://home.example",
})
class ViewerAuthTest {

    static final String VIEWER_TOKEN = "test-viewer-token";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5));
    }

    @Test
    void streamsAndStatsNeedTheViewerToken() throws Exception {
        for (String path : new String[] {"/api/v1/stream/camera/snapshot", "/api/v1/stream/stats",
                "/api/v1/stream/camera", "/api/v1/stream/audio"}) {
            HttpResponse<String> response = send(request(path));
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"doorcast\"");
            assertThat(response.body()).contains("\"success\":false");
        }
    }

    @Test
    void deviceAndViewerTokensAreNotInterchangeable() throws Exception {
        HttpResponse<String> deviceWatching = send(request("/api/v1/stream/stats")
                .header("Authorization", "Bearer " + Doorbell.TOKEN));
        HttpResponse<String> viewerPosting = new Doorbell(port).postFrame(TestMedia.jpeg(1),
                java.util.Map.of("frame_id", "1"), VIEWER_TOKEN);

        assertThat(deviceWatching.statusCode()).isEqualTo(401);
        assertThat(deviceWatching.headers().firstValue("www-authenticate")).hasValueSatisfying(
                v -> assertThat(v).contains("invalid_token"));
        assertThat(viewerPosting.statusCode()).isEqualTo(401);
    }

    @Test
    void viewerTokenAndSignedLinkBothOpenTheCameraStream() throws Exception {
        new Doorbell(port).postFrame(TestMedia.jpeg(2));
        HttpResponse<String> stats = send(request("/api/v1/stream/stats").header("Authorization", "Bearer " + VIEWER_TOKEN));
        HttpResponse<String> minted = send(request("/api/v1/stream/access")
                .header("Authorization", "Bearer " + VIEWER_TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
        String access = JsonMapper.builder().build().readTree(minted.body()).path("access").asString();

        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(minted.statusCode()).isEqualTo(200);
        try (MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera?access=" + access,
                Duration.ofSeconds(5))) {
            assertThat(viewer.status()).isEqualTo(200);
            viewer.readOpeningBoundary();
            assertThat(viewer.nextPart().body()).isEqualTo(TestMedia.jpeg(2));
        }
        HttpResponse<String> tampered = send(request("/api/v1/stream/camera/snapshot?access=" + access + "x"));
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(tampered.body()).contains("The access link is not valid").doesNotContain("expired");
    }

    @Test
    void aLinkCannotMintAnotherLink() throws Exception {
        HttpResponse<String> minted = send(request("/api/v1/stream/access")
                .header("Authorization", "Bearer " + VIEWER_TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
        String access = JsonMapper.builder().build().readTree(minted.body()).path("access").asString();

        HttpResponse<String> again = send(request("/api/v1/stream/access?access=" + access)
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.body()).contains("\"success\":false");
    }

    @Test
    void streamsThatEndLeaveNoErrorInTheLog(CapturedOutput output) throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(3));
        try (MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera?access=" + newAccess(),
                Duration.ofSeconds(5))) {
            viewer.readOpeningBoundary();
            viewer.nextPart();
        }
        doorbell.postFrame(TestMedia.jpeg(4));
        await().atMost(Duration.ofSeconds(5)).until(() -> viewersNow() == 0);

        // The stream's end is dispatched once more after its writer returns; give that a moment to log.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(output.getAll()).doesNotContain("AuthorizationDeniedException").doesNotContain(" ERROR "));
    }

    private String newAccess() throws Exception {
        HttpResponse<String> minted = send(request("/api/v1/stream/access")
                .header("Authorization", "Bearer " + VIEWER_TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
        return JsonMapper.builder().build().readTree(minted.body()).path("access").asString();
    }

    private int viewersNow() throws Exception {
        HttpResponse<String> stats = send(request("/api/v1/stream/stats").header("Authorization", "Bearer " + VIEWER_TOKEN));
        return JsonMapper.builder().build().readTree(stats.body()).path("stats").path("videoClientsConnected").asInt();
    }

    @Test
    void healthStaysOpen() throws Exception {
        assertThat(send(request("/actuator/health")).statusCode()).isEqualTo(200);
    }

    @Test
    void corsAllowsOnlyListedOrigins() throws Exception {
        HttpResponse<String> allowed = send(request("/api/v1/stream/stats")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://home.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization"));
        HttpResponse<String> refused = send(request("/api/v1/stream/stats")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET"));

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue("https://home.example");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("access-control-allow-origin")).isEmpty();
    }
}
