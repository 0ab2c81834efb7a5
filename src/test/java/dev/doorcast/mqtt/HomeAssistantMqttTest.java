package dev.doorcast.mqtt;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.doorcast.DoorcastApplication;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.Mosquitto;
import dev.doorcast.testing.MqttSubscriber;
import dev.doorcast.testing.MqttSubscriber.Received;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real mosquitto that takes anyone, and the server over real HTTP with two doorbells: what Home Assistant
 * finds on the broker, before and after a ring.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HomeAssistantMqttTest {

    static final String BACK = "back-door-token-mqtt-1";
    static final String METRICS = "metrics-token-mqtt-0123456789";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final AtomicLong FRAME_IDS = new AtomicLong(1_000);

    @TempDir
    static Path dir;

    static Mosquitto broker;
    static ConfigurableApplicationContext server;
    static Doorbell doorbell;

    @BeforeAll
    static void startBrokerAndServer() throws Exception {
        broker = Mosquitto.anonymous(dir).start();
        server = start(broker, "--doorcast.devices.back.token=" + BACK, "--doorcast.devices.back.name=Back door");
        doorbell = new Doorbell(port(server));
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (server != null) {
            server.close();
        }
        broker.close();
    }

    static ConfigurableApplicationContext start(Mosquitto broker, String... more) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--doorcast.demo.enabled=false", "--doorcast.security.device-token=" + Doorbell.TOKEN,
                "--doorcast.security.metrics-token=" + METRICS,
                "--doorcast.limits.max-device-fps=1000", "--doorcast.rings.burst=1000",
                "--doorcast.stream.device-offline-after=1s",
                "--doorcast.mqtt.url=" + broker.url(), "--doorcast.mqtt.reconnect-delay=200ms"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(DoorcastApplication.class).run(args.toArray(String[]::new));
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** The {@code mqtt} part of the health, as the metrics token reads it. */
    static String mqttHealth(Doorbell instance) {
        return JSON.readTree(instance.get("/actuator/health", METRICS).body())
                .path("components").path("mqtt").path("status").asString();
    }

    /** {@code doorcast_mqtt_dropped_total}, all reasons, as Prometheus scrapes it. */
    static double dropped(Doorbell instance) {
        String scrape = new String(instance.get("/actuator/prometheus", METRICS).body(), StandardCharsets.UTF_8);
        return scrape.lines().filter(line -> line.startsWith("doorcast_mqtt_dropped_total{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    static void postFrame(Doorbell to, byte[] jpeg, String token) {
        assertThat(to.postFrame(jpeg, Map.of("frame_id", Long.toString(FRAME_IDS.incrementAndGet())), token)
                .statusCode()).isEqualTo(200);
    }

    @Test
    @Order(1)
    void everyDoorbellsDiscoveryConfigsAreRetainedBeforeTheFirstRing() throws Exception {
        assertThat(JSON.readTree(doorbell.get("/api/v1/stream/rings").body()).path("rings").size())
                .as("no ring yet").isZero();

        try (MqttSubscriber homeAssistant = new MqttSubscriber(broker.url(), "homeassistant/#");
                MqttSubscriber status = new MqttSubscriber(broker.url(), "doorcast/status")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(homeAssistant.received()).hasSize(6));
            assertThat(homeAssistant.received()).allMatch(Received::retained);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(status.last("doorcast/status")).isNotNull();
                assertThat(status.lastText("doorcast/status")).isEqualTo("online");
                assertThat(status.last("doorcast/status").retained()).isTrue();
            });

            JsonNode event = config(homeAssistant, "homeassistant/event/doorcast_doorbell/ring/config");
            assertThat(event.path("state_topic").asString()).isEqualTo("doorcast/doorbell/ring");
            assertThat(event.path("event_types").toString()).isEqualTo("[\"ring\"]");
            assertThat(event.path("device_class").asString()).isEqualTo("doorbell");
            assertThat(event.path("unique_id").asString()).isEqualTo("doorcast_doorbell_ring");
            assertDeviceAndAvailability(event, "doorcast_doorbell", "Front door");

            JsonNode online = config(homeAssistant, "homeassistant/binary_sensor/doorcast_doorbell/online/config");
            assertThat(online.path("device_class").asString()).isEqualTo("connectivity");
            assertThat(online.path("state_topic").asString()).isEqualTo("doorcast/doorbell/online");
            assertThat(online.path("payload_on").asString()).isEqualTo("online");
            assertThat(online.path("payload_off").asString()).isEqualTo("offline");
            assertThat(online.path("unique_id").asString()).isEqualTo("doorcast_doorbell_online");
            assertDeviceAndAvailability(online, "doorcast_doorbell", "Front door");

            JsonNode camera = config(homeAssistant, "homeassistant/camera/doorcast_doorbell/snapshot/config");
            assertThat(camera.path("topic").asString()).isEqualTo("doorcast/doorbell/snapshot");
            assertThat(camera.path("unique_id").asString()).isEqualTo("doorcast_doorbell_snapshot");
            assertDeviceAndAvailability(camera, "doorcast_doorbell", "Front door");

            JsonNode backEvent = config(homeAssistant, "homeassistant/event/doorcast_back/ring/config");
            assertThat(backEvent.path("state_topic").asString()).isEqualTo("doorcast/back/ring");
            assertDeviceAndAvailability(backEvent, "doorcast_back", "Back door");
            assertThat(homeAssistant.received()).extracting(Received::topic).contains(
                    "homeassistant/binary_sensor/doorcast_back/online/config",
                    "homeassistant/camera/doorcast_back/snapshot/config");
        }
    }

    private static JsonNode config(MqttSubscriber subscriber, String topic) {
        Received config = subscriber.last(topic);
        assertThat(config).as(topic).isNotNull();
        return JSON.readTree(config.payload());
    }

    private static void assertDeviceAndAvailability(JsonNode config, String identifier, String name) {
        assertThat(config.path("availability_topic").asString()).isEqualTo("doorcast/status");
        assertThat(config.path("payload_available").asString()).isEqualTo("online");
        assertThat(config.path("payload_not_available").asString()).isEqualTo("offline");
        assertThat(config.path("name").asString()).isNotBlank();
        JsonNode device = config.path("device");
        assertThat(device.path("identifiers").toString()).isEqualTo("[\"" + identifier + "\"]");
        assertThat(device.path("name").asString()).isEqualTo(name);
        assertThat(device.path("manufacturer").asString()).isEqualTo("doorcast");
        assertThat(device.path("model").asString()).isEqualTo("doorcast");
    }

    @Test
    @Order(2)
    void aRingIsOnTheEventTopicWithinASecondAndTheSnapshotTopicHoldsItsPicture() throws Exception {
        try (MqttSubscriber homeAssistant = new MqttSubscriber(broker.url(), "doorcast/doorbell/ring")) {
            postFrame(doorbell, TestMedia.jpeg(1), Doorbell.TOKEN);
            byte[] who = TestMedia.jpeg(2);
            postFrame(doorbell, who, Doorbell.TOKEN);

            long rang = System.currentTimeMillis();
            HttpResponse<String> ring = doorbell.ring();
            assertThat(ring.statusCode()).isEqualTo(200);
            long ringId = Doorbell.ringId(ring);

            await().atMost(Duration.ofSeconds(5)).until(() -> !homeAssistant.on("doorcast/doorbell/ring").isEmpty());
            Received event = homeAssistant.on("doorcast/doorbell/ring").getFirst();
            assertThat(event.at() - rang).as("ms from the ring's POST to the event on the broker")
                    .isLessThanOrEqualTo(1_000);
            assertThat(event.retained()).as("a ring is news, not a state").isFalse();
            JsonNode json = JSON.readTree(event.payload());
            assertThat(json.path("event_type").asString()).isEqualTo("ring");
            assertThat(json.path("ringId").asLong()).isEqualTo(ringId);
            assertThat(json.path("device").asString()).isEqualTo("doorbell");
            assertThat(json.path("time").asLong()).isBetween(rang - 1_000, System.currentTimeMillis());

            byte[] ringPicture = doorbell.get("/api/v1/stream/rings/" + ringId + "/snapshot").body();
            assertThat(ringPicture).isEqualTo(who);
            try (MqttSubscriber camera = new MqttSubscriber(broker.url(), "doorcast/doorbell/snapshot")) {
                await().atMost(Duration.ofSeconds(5)).until(() -> camera.last("doorcast/doorbell/snapshot") != null);
                Received snapshot = camera.last("doorcast/doorbell/snapshot");
                assertThat(snapshot.retained()).isTrue();
                assertThat(snapshot.payload()).as("exactly the ring's picture").isEqualTo(ringPicture);
            }
            assertThat(homeAssistant.on("doorcast/doorbell/ring")).as("one ring, one message").hasSize(1);
        }
    }

    @Test
    @Order(3)
    void aRingBeforeAnyFrameGetsThePictureThatComesAfterIt() throws Exception {
        try (MqttSubscriber homeAssistant = new MqttSubscriber(broker.url(), "doorcast/back/#")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> homeAssistant.last("doorcast/back/online") != null
                    && homeAssistant.lastText("doorcast/back/online").equals("offline"));
            HttpResponse<String> ring = doorbell.ring("", BACK);
            assertThat(ring.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> !homeAssistant.on("doorcast/back/ring").isEmpty());
            assertThat(homeAssistant.on("doorcast/back/snapshot")).as("no picture yet").isEmpty();

            byte[] who = TestMedia.jpeg(7);
            postFrame(doorbell, who, BACK);
            await().atMost(Duration.ofSeconds(5)).until(() -> homeAssistant.last("doorcast/back/snapshot") != null);
            assertThat(homeAssistant.last("doorcast/back/snapshot").payload()).isEqualTo(who);
        }
    }

    @Test
    @Order(4)
    void theOnlineTopicFollowsTheDoorbell() throws Exception {
        try (MqttSubscriber homeAssistant = new MqttSubscriber(broker.url(), "doorcast/doorbell/online")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(homeAssistant.lastText("doorcast/doorbell/online"))
                            .as("a second without frames (device-offline-after=1s)").isEqualTo("offline"));
            assertThat(homeAssistant.last("doorcast/doorbell/online").retained()).isTrue();

            postFrame(doorbell, TestMedia.jpeg(3), Doorbell.TOKEN);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(homeAssistant.lastText("doorcast/doorbell/online")).isEqualTo("online"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(homeAssistant.lastText("doorcast/doorbell/online")).isEqualTo("offline"));
            List<String> states = homeAssistant.on("doorcast/doorbell/online").stream().map(Received::text).toList();
            assertThat(states).as("each change once").containsSubsequence("offline", "online", "offline");
        }
    }

    @Test
    @Order(5)
    void whatAStrangerPublishesOnTheBrokerChangesNothingInDoorcast() throws Exception {
        int rings = JSON.readTree(doorbell.get("/api/v1/stream/rings").body()).path("rings").size();
        try (MqttSubscriber stranger = new MqttSubscriber(broker.url(), "doorcast/status")) {
            stranger.publish("doorcast/doorbell/ring",
                    "{\"event_type\":\"ring\",\"ringId\":1,\"device\":\"doorbell\",\"time\":1}".getBytes(), false);
            stranger.publish("doorcast/doorbell/set", "ring".getBytes(), false);
            stranger.publish("doorcast/doorbell/snapshot", TestMedia.jpeg(9), true);
            stranger.publish("doorcast/status", "offline".getBytes(), true);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(stranger.lastText("doorcast/status"))
                            .as("this server is up: it says so again").isEqualTo("online"));
        }
        assertThat(JSON.readTree(doorbell.get("/api/v1/stream/rings").body()).path("rings").size())
                .as("no ring from the broker").isEqualTo(rings);
        assertThat(mqttHealth(doorbell)).isEqualTo("UP");
    }

    @Test
    @Order(6)
    void theServersStatusGoesOfflineWhenItStops() throws Exception {
        ConfigurableApplicationContext second = start(broker, "--doorcast.mqtt.topic-prefix=second");
        try (MqttSubscriber homeAssistant = new MqttSubscriber(broker.url(), "second/status")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(homeAssistant.lastText("second/status")).isEqualTo("online"));
            second.close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(homeAssistant.lastText("second/status")).isEqualTo("offline"));
        } finally {
            second.close();
        }
        try (MqttSubscriber later = new MqttSubscriber(broker.url(), "second/status")) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(later.lastText("second/status")).isEqualTo("offline");
                assertThat(later.last("second/status").retained()).isTrue();
            });
        }
    }

    @Test
    @Order(7)
    void aBrokerThatHangsNeverDelaysARingsAnswer() throws Exception {
        try (Mosquitto hanging = Mosquitto.anonymous(dir).start()) {
            ConfigurableApplicationContext third = start(hanging, "--doorcast.mqtt.queue=4");
            try {
                Doorbell impatient = new Doorbell(port(third), InetAddress.getLoopbackAddress(), Duration.ofSeconds(5));
                await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(mqttHealth(impatient)));
                hanging.freeze();

                postFrame(impatient, TestMedia.jpegOfSize(200_000), Doorbell.TOKEN);
                for (int i = 0; i < 30; i++) {
                    // Each answer within the client's 5 s: a ring that waited on the broker would never come.
                    assertThat(impatient.ring().statusCode()).isEqualTo(200);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> dropped(impatient) > 0);
            } finally {
                hanging.thaw();
                third.close();
            }
        }
    }

    @Test
    @Order(8)
    void whenTheConnectionDiesTheBrokerSaysOfflineAndDoorcastComesBack() throws Exception {
        ConfigurableApplicationContext fourth = start(broker, "--doorcast.mqtt.topic-prefix=fourth",
                "--doorcast.mqtt.client-id=doorcast-fourth");
        try (MqttSubscriber homeAssistant = new MqttSubscriber(broker.url(), "fourth/status")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(homeAssistant.lastText("fourth/status")).isEqualTo("online"));
            // A client with doorcast's id takes its session over: the broker drops doorcast's connection without
            // a goodbye from doorcast, and publishes doorcast's last will.
            try (MqttSubscriber impostor = MqttSubscriber.withClientId(broker.url(), "doorcast-fourth")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> homeAssistant.on("fourth/status").stream()
                        .anyMatch(message -> message.text().equals("offline")));
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(homeAssistant.lastText("fourth/status")).as("reconnected").isEqualTo("online"));
        } finally {
            fourth.close();
        }
    }

    @Test
    @Order(9)
    void aBrokerThatRestartsEmptyGetsTheDiscoveryConfigsBack() throws Exception {
        broker.stop();
        broker.start();
        try (MqttSubscriber watching = new MqttSubscriber(broker.url(), "homeassistant/#")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(watching.received()).as("published again on reconnecting").hasSize(6));
        }
        try (MqttSubscriber homeAssistant = new MqttSubscriber(broker.url(), "homeassistant/#")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(homeAssistant.received()).hasSize(6).allMatch(Received::retained));
        }
        assertThat(mqttHealth(doorbell)).isEqualTo("UP");
    }
}
