package dev.doorcast.mqtt;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.doorcast.DoorcastApplication;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.Mosquitto;
import dev.doorcast.testing.MqttSubscriber;
import dev.doorcast.testing.RedisServer;
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
import tools.jackson.databind.json.JsonMapper;

import static dev.doorcast.mqtt.HomeAssistantMqttTest.METRICS;
import static dev.doorcast.mqtt.HomeAssistantMqttTest.mqttHealth;
import static dev.doorcast.mqtt.HomeAssistantMqttTest.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances sharing the doorbell through a real redis-server, both on one real mosquitto: Home Assistant
 * hears each ring once, and the server stays available while one instance is left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MqttRelayTest {

    static final String SECRET = "mqtt-relay-test-secret-for-every-instance";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    static RedisServer redis;
    static Mosquitto broker;
    static ConfigurableApplicationContext a;
    static ConfigurableApplicationContext b;

    @BeforeAll
    static void startAll() throws Exception {
        redis = new RedisServer(dir).start();
        broker = Mosquitto.anonymous(dir).start();
        a = instance();
        b = instance();
        await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(mqttHealth(new Doorbell(port(a))))
                && "UP".equals(mqttHealth(new Doorbell(port(b)))));
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[] {a, b}) {
            if (instance != null) {
                instance.close();
            }
        }
        broker.close();
        redis.close();
    }

    static ConfigurableApplicationContext instance() {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--doorcast.demo.enabled=false", "--doorcast.security.device-token=" + Doorbell.TOKEN,
                "--doorcast.security.metrics-token=" + METRICS, "--doorcast.limits.max-device-fps=1000",
                "--doorcast.relay.type=redis", "--doorcast.relay.secret=" + SECRET,
                "--spring.data.redis.url=" + redis.url(),
                "--doorcast.mqtt.url=" + broker.url(), "--doorcast.mqtt.reconnect-delay=200ms"));
        return new SpringApplicationBuilder(DoorcastApplication.class).run(args.toArray(String[]::new));
    }

    private static int rings(ConfigurableApplicationContext instance) {
        return JSON.readTree(new Doorbell(port(instance)).get("/api/v1/stream/rings").body()).path("rings").size();
    }

    @Test
    @Order(1)
    void aRingRelayedToEveryInstanceIsOneMessage() throws Exception {
        try (MqttSubscriber homeAssistant = new MqttSubscriber(broker.url(), "doorcast/doorbell/ring")) {
            Doorbell onA = new Doorbell(port(a));
            byte[] who = TestMedia.jpeg(5);
            assertThat(onA.postFrame(who).statusCode()).isEqualTo(200);
            HttpResponse<String> ring = onA.ring();
            assertThat(ring.statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(5)).until(() -> rings(b) == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> !homeAssistant.received().isEmpty());
            // B heard of the ring too; give a duplicate from it every chance to arrive.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(homeAssistant.received()).hasSize(1));
            assertThat(JSON.readTree(homeAssistant.received().getFirst().payload()).path("ringId").asLong())
                    .isEqualTo(Doorbell.ringId(ring));
        }
    }

    @Test
    @Order(2)
    void theServerStaysAvailableWhileOneInstanceIsLeft() throws Exception {
        try (MqttSubscriber homeAssistant = new MqttSubscriber(broker.url(), "doorcast/status")) {
            b.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> homeAssistant.on("doorcast/status").stream()
                    .anyMatch(message -> message.text().equals("offline")));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(homeAssistant.lastText("doorcast/status"))
                            .as("A is still here and says so").isEqualTo("online"));
        }
    }
}
