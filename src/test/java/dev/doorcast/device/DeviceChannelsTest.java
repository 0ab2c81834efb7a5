package dev.doorcast.device;

import java.time.Duration;
import java.util.Map;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A front door and a back door beside the default doorbell: each device's token is its channel. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.devices.front.token=" + DeviceChannelsTest.FRONT,
        "doorcast.devices.back.token=" + DeviceChannelsTest.BACK,
        "doorcast.devices.front.name=Front porch",
        // The default device's token is doorcast.security.device-token: its entry here has only a name.
        "doorcast.devices.doorbell.name=Side door",
        "doorcast.limits.max-device-fps=1000",
})
class DeviceChannelsTest {

    static final String FRONT = "front-door-token";
    static final String BACK = "back-door-token-1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private JsonNode json(String path) {
        return JSON.readTree(new Doorbell(port).get(path).body());
    }

    @Test
    void theTokenDecidesTheChannelWhateverTheFormSays() {
        Doorbell doorbell = new Doorbell(port);
        byte[] front = TestMedia.jpeg(801);
        long frontBefore = framesReceived("front");
        long backBefore = framesReceived("back");
        long defaultBefore = framesReceived("doorbell");

        // The front door's firmware calls itself "back": the token wins.
        assertThat(doorbell.postFrame(front, Map.of("device_id", "back", "frame_id", "1"), FRONT).statusCode())
                .isEqualTo(200);

        assertThat(doorbell.get("/api/v1/stream/camera/snapshot?device=front").body()).isEqualTo(front);
        assertThat(doorbell.get("/api/v1/stream/camera/snapshot?device=back").body()).isNotEqualTo(front);
        assertThat(doorbell.get("/api/v1/stream/camera/snapshot").body()).isNotEqualTo(front);
        assertThat(framesReceived("front")).isEqualTo(frontBefore + 1);
        assertThat(framesReceived("back")).isEqualTo(backBefore);
        assertThat(framesReceived("doorbell")).isEqualTo(defaultBefore);
    }

    private long framesReceived(String device) {
        return json("/api/v1/stream/stats?device=" + device).path("stats").path("framesReceived").asLong();
    }

    @Test
    void viewersOfOneDeviceNeverSeeAnothersFrames() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        byte[] back = TestMedia.jpeg(802);
        byte[] frontFrame = TestMedia.jpeg(803);
        doorbell.postFrame(back, Map.of("frame_id", "10"), BACK);
        try (MjpegReader backViewer = MjpegReader.open(port, "/api/v1/stream/camera?device=back",
                Duration.ofSeconds(5))) {
            backViewer.readOpeningBoundary();
            assertThat(backViewer.nextPart().body()).isEqualTo(back);

            doorbell.postFrame(frontFrame, Map.of("frame_id", "11"), FRONT);

            // Only keep-alive repeats of the back door's frame arrive.
            MjpegReader.Part next = backViewer.nextPart();
            assertThat(next.body()).isEqualTo(back);
            assertThat(json("/api/v1/devices").at("/devices").findValuesAsString("id"))
                    .containsExactly("doorbell", "back", "front");
        }
    }

    @Test
    void devicesListShowsEachDevicesStateAndAudience() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(804), Map.of("frame_id", "20"), FRONT);
        try (MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera?device=front", Duration.ofSeconds(5))) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonNode front = device("front");
                assertThat(front.path("viewers").asInt()).isEqualTo(1);
                assertThat(front.path("online").asBoolean()).isTrue();
            });
            assertThat(device("back").path("viewers").asInt()).isZero();
            assertThat(device("front").path("name").asString()).isEqualTo("Front porch");
            assertThat(device("doorbell").path("name").asString()).isEqualTo("Side door");
            assertThat(device("back").path("name").asString()).as("no name set: the id").isEqualTo("back");
            assertThat(json("/api/v1/devices").path("relay").asString()).isEqualTo("local");
        }
    }

    @Test
    void unknownDeviceIsA404Problem() {
        var response = new Doorbell(port).get("/api/v1/stream/camera?device=garage");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(new String(response.body())).contains("\"success\":false").contains("garage");
    }

    @Test
    void metricsCarryEachDevice() {
        String scrape = new String(new Doorbell(port).get("/actuator/prometheus").body());

        assertThat(scrape).contains("doorcast_frames_received_total{device=\"front\"}")
                .contains("doorcast_frames_received_total{device=\"back\"}")
                .contains("doorcast_frames_received_total{device=\"doorbell\"}");
    }

    private JsonNode device(String id) {
        for (JsonNode device : json("/api/v1/devices").path("devices")) {
            if (device.path("id").asString().equals(id)) {
                return device;
            }
        }
        throw new AssertionError("no device " + id);
    }
}
