package dev.doorcast.history;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code DELETE /api/v1/stream/rings/{id}}: the owner or the device's household deletes a ring, its picture
 * and clip, from memory and the store; a link cannot, another household finds no such ring.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.security.viewer-token=" + RingDeleteTest.OWNER,
        "doorcast.devices.doorbell.viewer-token=" + RingDeleteTest.HOUSEHOLD,
        "doorcast.devices.back.token=back-device-token-0123",
        "doorcast.devices.back.viewer-token=" + RingDeleteTest.BACK,
        "doorcast.limits.max-device-fps=1000",
        "doorcast.rings.burst=1000",
        "doorcast.rings.clip-after=200ms",
})
class RingDeleteTest {

    static final String OWNER = "owner-viewer-token-0123";
    static final String HOUSEHOLD = "doorbell-household-0123";
    static final String BACK = "back-household-0123456";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private long ring(Doorbell doorbell, int n) {
        doorbell.postFrame(TestMedia.jpeg(n));
        return Doorbell.ringId(doorbell.ring());
    }

    /** A JSON problem of {@code status}, whether the body was read as text or bytes. */
    private static void assertProblem(HttpResponse<?> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body() instanceof byte[] bytes
                ? new String(bytes, StandardCharsets.UTF_8) : (String) response.body());
        assertThat(problem.path("success").asBoolean(true)).isFalse();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
    }

    private String link(String token) throws Exception {
        HttpResponse<String> made = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/stream/access?device=doorbell"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(made.statusCode()).isEqualTo(200);
        return JSON.readTree(made.body()).path("access").asString();
    }

    @Test
    void theHouseholdDeletesARingItsPictureAndClipFromMemoryAndTheStore() {
        Doorbell doorbell = new Doorbell(port);
        double stored = Instances.stored(doorbell, OWNER);
        long kept = ring(doorbell, 1201);
        long deleted = ring(doorbell, 1202);
        // Written, clips and all, so that the delete has the store's copy to delete too.
        await().atMost(Duration.ofSeconds(10)).until(() -> Instances.stored(doorbell, OWNER) >= stored + 2);
        String snapshot = "/api/v1/stream/rings/" + deleted + "/snapshot?device=doorbell";
        assertThat(doorbell.get(snapshot, HOUSEHOLD).statusCode()).isEqualTo(200);

        HttpResponse<String> answer = doorbell.delete("/api/v1/stream/rings/" + deleted + "?device=doorbell",
                HOUSEHOLD);

        assertThat(answer.statusCode()).isEqualTo(204);
        assertThat(Instances.ringIds(doorbell, HOUSEHOLD)).contains(kept).doesNotContain(deleted);
        // Neither memory nor the store (which the picture and clip fall back to) has it any more.
        assertProblem(doorbell.get(snapshot, HOUSEHOLD), 404);
        assertProblem(doorbell.get("/api/v1/stream/rings/" + deleted + "/clip?device=doorbell", HOUSEHOLD), 404);
        assertProblem(doorbell.delete("/api/v1/stream/rings/" + deleted + "?device=doorbell", HOUSEHOLD), 404);
    }

    @Test
    void theOwnerDeletesARingOfAnyDevice() {
        Doorbell doorbell = new Doorbell(port);
        long ringId = ring(doorbell, 1211);

        assertThat(doorbell.delete("/api/v1/stream/rings/" + ringId, OWNER).statusCode()).isEqualTo(204);

        assertThat(Instances.ringIds(doorbell, OWNER)).doesNotContain(ringId);
    }

    @Test
    void aLinkAnotherHouseholdAndNoCredentialDeleteNothing() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        long ringId = ring(doorbell, 1221);
        String path = "/api/v1/stream/rings/" + ringId;

        assertProblem(doorbell.delete(path + "?device=doorbell&access=" + link(HOUSEHOLD), null), 403);
        assertProblem(doorbell.delete(path + "?device=doorbell", null), 401);
        assertProblem(doorbell.delete(path + "?device=doorbell", BACK), 403);
        // Its own device's rings hold no ring of that number.
        assertProblem(doorbell.delete(path + "?device=back", BACK), 404);
        assertProblem(doorbell.delete("/api/v1/stream/rings/not-a-number?device=doorbell", HOUSEHOLD), 400);

        assertThat(Instances.ringIds(doorbell, HOUSEHOLD)).contains(ringId);
        assertThat(doorbell.get(path + "/snapshot?device=doorbell", HOUSEHOLD).statusCode()).isEqualTo(200);
    }
}
