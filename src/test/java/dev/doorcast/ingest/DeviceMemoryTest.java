package dev.doorcast.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two doorbells posting large frames and ringing, over HTTP, against a small budget for what all buffers
 * hold together.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.devices.back.token=" + DeviceMemoryTest.BACK,
        "doorcast.limits.max-device-fps=1000",
        "doorcast.rings.burst=1000",
        "doorcast.buffer.frames=5",
        "doorcast.buffer.max-memory=" + DeviceMemoryTest.BUDGET,
})
class DeviceMemoryTest {

    static final String BACK = "back-door-device-token-0123456789";
    static final long BUDGET = 4_000_000;
    private static final int LARGE = 200_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void twoDoorbellsRingingWithLargeFramesStayWithinOneBudgetWhileTheStoreKeepsEveryRing() {
        Doorbell doorbell = new Doorbell(port);
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("doorbell", Doorbell.TOKEN);
        tokens.put("back", BACK);
        Map<String, List<Long>> rung = new LinkedHashMap<>();
        int frame = 0;
        for (int round = 0; round < 4; round++) {
            for (Map.Entry<String, String> device : tokens.entrySet()) {
                rung.computeIfAbsent(device.getKey(), key -> new ArrayList<>())
                        .add(Doorbell.ringId(doorbell.ring("", device.getValue())));
                for (int i = 0; i < 6; i++) {
                    assertThat(doorbell.postFrame(TestMedia.jpegOfSize(LARGE + frame++), fields(frame),
                            device.getValue()).statusCode()).isEqualTo(200);
                    assertThat(held()).as("what the buffers hold, after every post").isLessThanOrEqualTo(BUDGET);
                }
            }
        }

        for (String device : tokens.keySet()) {
            List<Long> kept = ringIds(device);
            List<Long> sent = rung.get(device);
            assertThat(kept).as("%s keeps its newest ring", device).startsWith(sent.getLast());
            // Memory let go of the oldest ring's frames (MemoryBudgetTest shows the order); the store keeps it.
            assertThat(kept).as("%s's rings, the oldest from the store", device).containsAll(sent);
            assertThat(doorbell.get("/api/v1/stream/rings/" + sent.getFirst() + "/snapshot?device=" + device)
                    .statusCode()).as("the oldest ring's picture, from the store").isEqualTo(200);
            assertThat(doorbell.get("/api/v1/stream/camera/snapshot?device=" + device).statusCode())
                    .as("the newest frame is still there").isEqualTo(200);
        }
    }

    private static Map<String, String> fields(int frame) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("frame_id", Long.toString(100_000 + frame));
        return fields;
    }

    private List<Long> ringIds(String device) {
        JsonNode rings = JSON.readTree(new Doorbell(port).get("/api/v1/stream/rings?device=" + device).body())
                .path("rings");
        List<Long> ids = new ArrayList<>();
        rings.forEach(ring -> ids.add(ring.path("ringId").asLong()));
        return ids;
    }

    /** {@code doorcast_buffer_held_bytes} of every device, summed, as Prometheus scrapes it. */
    private long held() {
        String scrape = new String(new Doorbell(port).get("/actuator/prometheus").body(), StandardCharsets.UTF_8);
        List<String> lines = scrape.lines().filter(line -> line.startsWith("doorcast_buffer_held_bytes{")).toList();
        assertThat(lines).as("one series per device").hasSize(2);
        return lines.stream().mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
