package dev.doorcast.stats;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.SseReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two doorbells on one server. What a household's token or a link reads of the numbers (the stats in JSON
 * and in every Prometheus format the endpoint serves, the list of devices, the events) is its own doorbell's
 * alone; a picture-only link reads no numbers at all. The owner's token reads every device, and the
 * operator's scrape stays whole.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.security.viewer-token=" + NumbersFollowTheCredentialTest.OWNER,
        "doorcast.security.metrics-token=" + NumbersFollowTheCredentialTest.METRICS,
        "doorcast.devices.doorbell.viewer-token=" + NumbersFollowTheCredentialTest.DOORBELL_VIEWER,
        "doorcast.devices.back.token=" + NumbersFollowTheCredentialTest.BACK_DEVICE,
        "doorcast.devices.back.viewer-token=" + NumbersFollowTheCredentialTest.BACK_VIEWER,
        "doorcast.limits.max-device-fps=1000",
        "doorcast.rings.burst=1000",
})
class NumbersFollowTheCredentialTest {

    static final String OWNER = "owner-viewer-token-0123";
    static final String METRICS = "metrics-token-0123456789";
    static final String DOORBELL_VIEWER = "doorbell-household-0123";
    static final String BACK_DEVICE = "back-device-token-0123";
    static final String BACK_VIEWER = "back-household-0123456";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a Prometheus server sends: the text format of 2.x, OpenMetrics, and protobuf with native histograms. */
    private static final List<String> PROMETHEUS_ACCEPTS = List.of(
            "text/plain;version=0.0.4;q=1,*/*;q=0.1",
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                    + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
                    + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2");

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void bothDoorbellsSend() {
        Doorbell doorbell = new Doorbell(port);
        assertThat(doorbell.postFrame(TestMedia.jpeg(1)).statusCode()).isEqualTo(200);
        assertThat(doorbell.postFrame(TestMedia.jpeg(2), Map.of("frame_id", Long.toString(System.nanoTime())),
                BACK_DEVICE).statusCode()).isEqualTo(200);
    }

    private HttpResponse<byte[]> get(String path, String token, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String link(String token, String query) throws Exception {
        HttpResponse<String> made = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/stream/access" + query))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
        return JSON.readTree(made.body()).path("access").asString();
    }

    @Test
    void aHouseholdOrItsLinkScrapesItsOwnDoorbellInEveryPrometheusFormat() throws Exception {
        String backLink = link(BACK_VIEWER, "?device=back");
        for (String accept : PROMETHEUS_ACCEPTS) {
            for (String[] who : new String[][] {{"/api/v1/stream/stats?device=back", BACK_VIEWER},
                    {"/api/v1/stream/stats?device=back&access=" + backLink, null}}) {
                HttpResponse<byte[]> scrape = get(who[0], who[1], accept);
                String as = (who[1] == null ? "back's link" : "back's household") + ", Accept: " + accept;

                assertThat(scrape.statusCode()).as(as).isEqualTo(200);
                assertThat(scrape.headers().firstValue("Content-Type").orElseThrow()).as(as)
                        .doesNotStartWith("application/json");
                assertThat(devicesLabelled(scrape.body())).as(as).containsExactly("back");
                assertThat(seriesOfNoDevice(scrape)).as(as + ": the operator's series").isEmpty();
            }
        }
    }

    @Test
    void theOwnersTokenAndTheOperatorsScrapeSeeEveryDoorbell() throws Exception {
        for (String accept : PROMETHEUS_ACCEPTS) {
            assertThat(devicesLabelled(get("/api/v1/stream/stats", OWNER, accept).body())).as(accept)
                    .containsExactlyInAnyOrder("doorbell", "back");
        }
        HttpResponse<byte[]> operator = get("/actuator/prometheus", METRICS, "text/plain;version=0.0.4");
        assertThat(devicesLabelled(operator.body())).containsExactlyInAnyOrder("doorbell", "back");
        assertThat(new String(operator.body(), StandardCharsets.UTF_8)).contains("jvm_memory_used_bytes");
    }

    @Test
    void theStatsJsonIsTheAskedDoorbellsAndOnlyWhereTheCredentialOpensIt() throws Exception {
        JsonNode back = JSON.readTree(get("/api/v1/stream/stats?device=back", BACK_VIEWER, null).body());
        JsonNode doorbell = JSON.readTree(get("/api/v1/stream/stats", DOORBELL_VIEWER, null).body());

        assertThat(back.path("stats").path("bytesReceived").asLong()).isEqualTo(
                JSON.readTree(get("/api/v1/stream/stats?device=back", OWNER, null).body()).path("stats")
                        .path("bytesReceived").asLong());
        assertThat(doorbell.path("stats").path("bytesReceived").asLong())
                .isNotEqualTo(back.path("stats").path("bytesReceived").asLong());
        assertThat(get("/api/v1/stream/stats?device=doorbell", BACK_VIEWER, null).statusCode()).isEqualTo(403);
    }

    @Test
    void aPictureOnlyLinkListsItsDoorbellsNameAndNoNumbers() throws Exception {
        String camera = link(BACK_VIEWER, "?device=back&scope=camera");
        String all = link(BACK_VIEWER, "?device=back");

        JsonNode pictureOnly = JSON.readTree(get("/api/v1/devices?access=" + camera, null, null).body());
        JsonNode household = JSON.readTree(get("/api/v1/devices?access=" + all, null, null).body());
        JsonNode owner = JSON.readTree(get("/api/v1/devices", OWNER, null).body());

        assertThat(pictureOnly.path("devices")).hasSize(1);
        JsonNode listed = pictureOnly.path("devices").get(0);
        assertThat(listed.path("id").asString()).isEqualTo("back");
        assertThat(listed.path("name").asString()).isEqualTo("back");
        assertThat(fieldNames(listed)).as("no presence, audience or counts").containsExactly("id", "name");
        assertThat(pictureOnly.has("relay")).isFalse();
        assertThat(household.path("devices")).hasSize(1);
        assertThat(fieldNames(household.path("devices").get(0))).contains("online", "viewers", "listeners");
        assertThat(owner.path("devices")).hasSize(2);
    }

    @Test
    void aHouseholdsEventsStreamTellsOfItsOwnDoorbellOnly() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        try (SseReader events = SseReader.open(port, "/api/v1/stream/events?device=back", Duration.ofSeconds(10),
                "Authorization: Bearer " + BACK_VIEWER)) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.next().json().path("device").asString()).isEqualTo("back");
            doorbell.ring();
            long backRing = Doorbell.ringId(doorbell.ring("", BACK_DEVICE));
            SseReader.Event next = events.next();
            while (next.comment()) {
                next = events.next();
            }
            assertThat(next.type()).isEqualTo("ring");
            assertThat(next.json().path("device").asString()).isEqualTo("back");
            assertThat(next.json().path("ringId").asLong()).as("the doorbell's ring came first, and was not told")
                    .isEqualTo(backRing);
        }
    }

    /** The values of the {@code device} label in a scrape, in any format (protobuf's label pairs included). */
    private static List<String> devicesLabelled(byte[] scrape) {
        List<String> found = new ArrayList<>();
        for (String device : new String[] {"doorbell", "back"}) {
            String text = new String(scrape, StandardCharsets.ISO_8859_1);
            ByteArrayOutputStream pair = new ByteArrayOutputStream();
            // A protobuf LabelPair: field 1 (name) "device", then field 2 (value) with its length.
            pair.writeBytes(new byte[] {0x0A, 6});
            pair.writeBytes("device".getBytes(StandardCharsets.US_ASCII));
            pair.writeBytes(new byte[] {0x12, (byte) device.length()});
            pair.writeBytes(device.getBytes(StandardCharsets.US_ASCII));
            if (text.contains("device=\"" + device + "\"")
                    || text.contains(new String(pair.toByteArray(), StandardCharsets.ISO_8859_1))) {
                found.add(device);
            }
        }
        return found;
    }

    /** Sample lines of the text formats that carry no device label. */
    private static List<String> seriesOfNoDevice(HttpResponse<byte[]> scrape) {
        if (scrape.headers().firstValue("Content-Type").orElseThrow().startsWith("application/vnd.google.protobuf")) {
            return List.of(); // counted by devicesLabelled: every series there has a label pair
        }
        return Arrays.stream(new String(scrape.body(), StandardCharsets.UTF_8).split("\n"))
                .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.contains("device=\""))
                .toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
