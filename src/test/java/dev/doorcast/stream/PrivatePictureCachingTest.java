package dev.doorcast.stream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With viewer access on, every picture was fetched with a credential: a shared cache in front would hand it
 * to the next request for the same address, credential or not, so none may keep it, whatever the path.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.security.viewer-token=" + PrivatePictureCachingTest.OWNER,
        "doorcast.devices.doorbell.viewer-token=" + PrivatePictureCachingTest.HOUSEHOLD,
        "doorcast.limits.max-device-fps=1000",
        "doorcast.rings.burst=1000",
        "doorcast.rings.clip-after=300ms",
})
class PrivatePictureCachingTest {

    static final String OWNER = "test-owner-token-0123456789";
    static final String HOUSEHOLD = "test-household-token-0123456789";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void noPictureFetchedWithATokenOrALinkMayBeKeptByASharedCache() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(1301));
        long ringId = Doorbell.ringId(doorbell.ring());
        HttpResponse<String> minted = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/stream/access"))
                .header("Authorization", "Bearer " + OWNER).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        String link = JsonMapper.builder().build().readTree(minted.body()).path("access").asString();
        long arrived = Long.parseLong(get("/api/v1/stream/camera/snapshot", "Authorization", "Bearer " + OWNER)
                .headers().firstValue("X-Timestamp").orElseThrow());
        String clip = "/api/v1/stream/rings/" + ringId + "/clip";
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                get(clip, "Authorization", "Bearer " + OWNER).headers().firstValue("ETag")).isPresent());

        List<String> paths = List.of("/api/v1/stream/camera/snapshot",
                "/api/v1/stream/camera/synced?audioTimestamp=" + arrived,
                "/api/v1/stream/rings/" + ringId + "/snapshot", clip);
        List<HttpResponse<byte[]>> answers = new ArrayList<>();
        for (String path : paths) {
            answers.add(get(path, "Authorization", "Bearer " + OWNER));
            answers.add(get(path, "Authorization", "Bearer " + HOUSEHOLD));
            answers.add(get(path + (path.contains("?") ? "&" : "?") + "access=" + link));
        }

        assertThat(answers).hasSize(12).allSatisfy(answer -> {
            assertThat(answer.statusCode()).as(answer.uri().toString()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Cache-Control")).as(answer.uri().toString())
                    .hasValueSatisfying(value -> assertThat(value).contains("private").doesNotContain("public"));
            assertThat(answer.headers().firstValue("ETag")).as(answer.uri().toString()).isPresent();
        });
    }

    @Test
    void aCredentialStillGetsA304ForThePictureItHas() throws Exception {
        new Doorbell(port).postFrame(TestMedia.jpeg(1302));
        HttpResponse<byte[]> first = get("/api/v1/stream/camera/snapshot", "Authorization", "Bearer " + HOUSEHOLD);

        HttpResponse<byte[]> again = get("/api/v1/stream/camera/snapshot", "Authorization", "Bearer " + HOUSEHOLD,
                "If-None-Match", first.headers().firstValue("ETag").orElseThrow());

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.headers().firstValue("Cache-Control")).hasValue("max-age=1, private");
    }
}
