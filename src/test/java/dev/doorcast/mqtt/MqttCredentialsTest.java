package dev.doorcast.mqtt;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.Mosquitto;
import dev.doorcast.testing.MqttSubscriber;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.doorcast.mqtt.HomeAssistantMqttTest.dropped;
import static dev.doorcast.mqtt.HomeAssistantMqttTest.mqttHealth;
import static dev.doorcast.mqtt.HomeAssistantMqttTest.port;
import static dev.doorcast.mqtt.HomeAssistantMqttTest.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A mosquitto with one user in a password file (made by mosquitto_passwd): the right and the wrong password. */
@ExtendWith(OutputCaptureExtension.class)
class MqttCredentialsTest {

    static final String USER = "doorcast";
    static final String PASSWORD = "right-mqtt-password-4f1c";
    static final String WRONG = "wrong-mqtt-password-9a7e";

    @TempDir
    static Path dir;

    static Mosquitto broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Mosquitto.withUser(dir, USER, PASSWORD).start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void theRightPasswordConnectsAndHomeAssistantFindsTheDoorbell(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext server = start(broker, "--doorcast.mqtt.username=" + USER,
                "--doorcast.mqtt.password=" + PASSWORD);
        try (MqttSubscriber homeAssistant = new MqttSubscriber(broker.url(), "homeassistant/#", USER, PASSWORD)) {
            Doorbell doorbell = new Doorbell(port(server));
            await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(mqttHealth(doorbell)));
            await().atMost(Duration.ofSeconds(10)).until(() -> homeAssistant.received().size() == 3);
        } finally {
            server.close();
        }
        assertThat(output.getAll()).contains("MQTT: connected to " + broker.url()).doesNotContain(PASSWORD);
    }

    @Test
    void theWrongPasswordLeavesTheDoorbellServedAndMqttDown(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext server = start(broker, "--doorcast.mqtt.username=" + USER,
                "--doorcast.mqtt.password=" + WRONG);
        try {
            Doorbell doorbell = new Doorbell(port(server));
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("MQTT: cannot connect"));
            assertThat(mqttHealth(doorbell)).isEqualTo("DOWN");
            assertThat(doorbell.get("/actuator/health/liveness").statusCode())
                    .as("no restart for a broker").isEqualTo(200);

            byte[] frame = TestMedia.jpeg(41);
            assertThat(doorbell.postFrame(frame).statusCode()).isEqualTo(200);
            assertThat(doorbell.get("/api/v1/stream/camera/snapshot").body()).isEqualTo(frame);
            try (MjpegReader viewer = MjpegReader.open(port(server), "/api/v1/stream/camera", Duration.ofSeconds(5))) {
                assertThat(viewer.status()).isEqualTo(200);
                viewer.readOpeningBoundary();
                assertThat(viewer.nextPart().body()).as("the live stream goes on").isEqualTo(frame);
            }
            double before = dropped(doorbell);
            HttpResponse<String> ring = doorbell.ring();
            assertThat(ring.statusCode()).isEqualTo(200);
            assertThat(doorbell.get("/api/v1/stream/rings/" + Doorbell.ringId(ring) + "/snapshot").body())
                    .isEqualTo(frame);
            assertThat(dropped(doorbell)).as("the ring, counted as not delivered").isGreaterThan(before);
            // It keeps trying (every 200 ms here) and says so once, not once per try.
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(mqttHealth(doorbell)).isEqualTo("DOWN");
            assertThat(output.getAll().split("MQTT: cannot connect", -1)).hasSizeLessThanOrEqualTo(3);
        } finally {
            server.close();
        }
        assertThat(output.getAll()).doesNotContain(WRONG);
    }

    @Test
    void aTlsBrokerWhoseCertificateTheJvmDoesNotTrustIsNotTalkedTo(CapturedOutput output) throws Exception {
        try (Mosquitto untrusted = Mosquitto.withSelfSignedTls(dir).start()) {
            assertThat(untrusted.url()).startsWith("ssl://");
            ConfigurableApplicationContext server = start(untrusted, "--doorcast.mqtt.username=" + USER,
                    "--doorcast.mqtt.password=" + PASSWORD);
            try {
                Doorbell doorbell = new Doorbell(port(server));
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        output.getAll().contains("MQTT: cannot connect to " + untrusted.url()));
                assertThat(mqttHealth(doorbell)).isEqualTo("DOWN");
                assertThat(output.getAll()).containsIgnoringCase("certification path");
            } finally {
                server.close();
            }
        }
    }
}
