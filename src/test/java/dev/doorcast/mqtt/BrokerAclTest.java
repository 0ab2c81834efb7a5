package dev.doorcast.mqtt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.Mosquitto;
import dev.doorcast.testing.MqttSubscriber;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.doorcast.mqtt.HomeAssistantMqttTest.mqttHealth;
import static dev.doorcast.mqtt.HomeAssistantMqttTest.port;
import static dev.doorcast.mqtt.HomeAssistantMqttTest.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker ACL docs/operations.md advises, as mosquitto's acl_file: doorcast and Home Assistant work, and
 * another user of the broker can neither read the door's pictures nor fake a ring to Home Assistant.
 */
class BrokerAclTest {

    static final Map<String, String> USERS = Map.of(
            "doorcast", "doorcast-broker-password-1",
            "homeassistant", "homeassistant-broker-password-2",
            "stranger", "stranger-broker-password-3");

    @TempDir
    Path dir;

    static String documentedAcl() throws Exception {
        String doc = Files.readString(Path.of("docs/operations.md"));
        String section = doc.substring(doc.indexOf("### A broker user for doorcast only"));
        int open = section.indexOf("```\n") + 4;
        return section.substring(open, section.indexOf("```", open));
    }

    @Test
    void withTheDocumentedAclAnotherBrokerUserCanNeitherSeeTheDoorNorFakeARing() throws Exception {
        try (Mosquitto broker = Mosquitto.withUsers(dir, USERS, documentedAcl()).start()) {
            ConfigurableApplicationContext server = start(broker, "--doorcast.mqtt.username=doorcast",
                    "--doorcast.mqtt.password=" + USERS.get("doorcast"));
            try (MqttSubscriber stranger = new MqttSubscriber(broker.url(), "#", "stranger", USERS.get("stranger"));
                    MqttSubscriber homeAssistant = new MqttSubscriber(broker.url(), "#", "homeassistant",
                            USERS.get("homeassistant"))) {
                Doorbell doorbell = new Doorbell(port(server));
                await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(mqttHealth(doorbell)));
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        homeAssistant.last("homeassistant/camera/doorcast_doorbell/snapshot/config") != null
                                && homeAssistant.last("doorcast/status") != null);

                assertThat(doorbell.postFrame(TestMedia.jpeg(11)).statusCode()).isEqualTo(200);
                assertThat(doorbell.ring().statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(homeAssistant.received()).extracting(MqttSubscriber.Received::topic)
                                .contains("doorcast/doorbell/ring", "doorcast/doorbell/snapshot"));

                stranger.publish("doorcast/doorbell/ring",
                        "{\"event_type\":\"ring\",\"ringId\":1,\"device\":\"doorbell\",\"time\":1}".getBytes(), false);
                stranger.publish("homeassistant/event/doorcast_doorbell/ring/config", "{}".getBytes(), true);
                // The broker took (or dropped) each of those before it acknowledged it: a marker Home Assistant
                // publishes now reaches it after anything of them that was let through.
                homeAssistant.publish("homeassistant/marker", "1".getBytes(), false);
                await().atMost(Duration.ofSeconds(5)).until(() -> homeAssistant.last("homeassistant/marker") != null);

                assertThat(homeAssistant.on("doorcast/doorbell/ring")).as("only the real ring").hasSize(1);
                assertThat(homeAssistant.on("homeassistant/event/doorcast_doorbell/ring/config"))
                        .allSatisfy(config -> assertThat(config.text()).contains("\"event_types\""));
                assertThat(stranger.received()).extracting(MqttSubscriber.Received::topic)
                        .as("nothing of doorcast's or Home Assistant's").isEmpty();
            } finally {
                server.close();
            }
        }
    }
}
