package dev.doorcast.stream;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One server, two doorbells each with its household's viewer token, the owner's token: a household that
 * opens streams until it is refused cannot lock out the owner, the other household or the owner's links.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.security.viewer-token=" + HouseholdSeatsTest.OWNER,
        "doorcast.devices.doorbell.viewer-token=" + HouseholdSeatsTest.FRONT_VIEWER,
        "doorcast.devices.back.token=" + HouseholdSeatsTest.BACK_DEVICE,
        "doorcast.devices.back.viewer-token=" + HouseholdSeatsTest.BACK_VIEWER,
        "doorcast.limits.max-viewers=40",
        "doorcast.limits.max-device-fps=1000",
})
class HouseholdSeatsTest {

    static final String OWNER = "owner-viewer-token-0123";
    static final String FRONT_VIEWER = "front-viewer-token-0123";
    static final String BACK_DEVICE = "back-device-token-01234";
    static final String BACK_VIEWER = "back-viewer-token-01234";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<MjpegReader> open = new ArrayList<>();

    @AfterEach
    void closeStreams() throws IOException {
        for (MjpegReader reader : open) {
            reader.close();
        }
    }

    @Test
    void aHouseholdThatTakesEverySeatItCanLeavesRoomForTheOwnerTheOtherHouseholdAndTheOwnersLinks()
            throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(1));
        doorbell.postFrame(TestMedia.jpeg(2), Map.of("frame_id", "1"), BACK_DEVICE);

        MjpegReader refused = null;
        for (int i = 0; i <= 40 && refused == null; i++) {
            MjpegReader back = MjpegReader.open(port, "/api/v1/stream/camera?device=back", Duration.ofSeconds(8),
                    "Authorization: Bearer " + BACK_VIEWER);
            open.add(back);
            if (back.status() != 200) {
                refused = back;
            }
        }
        assertThat(refused).as("the household is refused before the server is full").isNotNull();
        int held = open.size() - 1;
        assertThat(refused.status()).isEqualTo(503);
        assertRefusedWithJson("/api/v1/stream/camera?device=back", BACK_VIEWER);
        assertThat(held).as("its equal share: 40 less the owner's 4 reserved, between two households")
                .isEqualTo(18);
        // More links do not make more seats: the household's links share its seats.
        String backLink = link(BACK_VIEWER, "?device=back");
        assertRefusedWithJson("/api/v1/stream/camera?device=back&access=" + backLink, null);

        assertThat(stream("/api/v1/stream/camera", "Authorization: Bearer " + OWNER).status())
                .as("the owner's token").isEqualTo(200);
        assertThat(stream("/api/v1/stream/camera?device=back", "Authorization: Bearer " + OWNER).status())
                .as("the owner's token, at the back door too").isEqualTo(200);
        assertThat(stream("/api/v1/stream/camera", "Authorization: Bearer " + FRONT_VIEWER).status())
                .as("the other household").isEqualTo(200);
        assertThat(stream("/api/v1/stream/camera?access=" + link(OWNER, "?device=doorbell")).status())
                .as("the owner's link to the front door").isEqualTo(200);
        assertThat(stream("/api/v1/stream/camera?access=" + link(FRONT_VIEWER, "?device=doorbell")).status())
                .as("the other household's link").isEqualTo(200);

        open.getFirst().close();
        await().atMost(Duration.ofSeconds(10)).until(() -> stream("/api/v1/stream/camera?device=back",
                "Authorization: Bearer " + BACK_VIEWER).status() == 200);
    }

    private MjpegReader stream(String path, String... headers) throws IOException {
        MjpegReader reader = MjpegReader.open(port, path, Duration.ofSeconds(8), headers);
        open.add(reader);
        return reader;
    }

    /** A GET of a stream that must be refused: its status, Retry-After and problem read whole. */
    private void assertRefusedWithJson(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> refused = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = refused.body()) {
            assertThat(refused.statusCode()).as(path).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).isPresent();
            assertThat(refused.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(problem.path("success").asBoolean(true)).isFalse();
            assertThat(problem.path("detail").asString()).contains("household");
        }
    }

    private String link(String token, String query) throws Exception {
        HttpResponse<String> minted = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/stream/access" + query))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
        return JSON.readTree(minted.body()).path("access").asString();
    }
}
