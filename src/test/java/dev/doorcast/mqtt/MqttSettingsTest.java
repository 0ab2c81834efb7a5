package dev.doorcast.mqtt;

import java.time.Duration;

import dev.doorcast.DoorcastApplication;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A wrong MQTT setting stops the start with a few lines saying which setting and how to write it. */
@ExtendWith(OutputCaptureExtension.class)
class MqttSettingsTest {

    private static String failedStart(CapturedOutput output, String... settings) {
        int before = output.getAll().length();
        String[] args = new String[settings.length + 3];
        args[0] = "--server.port=0";
        args[1] = "--doorcast.demo.enabled=false";
        args[2] = "--doorcast.security.device-token=device-token-0123456789";
        System.arraycopy(settings, 0, args, 3, settings.length);
        assertThatThrownBy(() -> new SpringApplicationBuilder(DoorcastApplication.class).run(args)).isNotNull();
        String printed = output.getAll().substring(before);
        assertThat(printed).contains("APPLICATION FAILED TO START");
        return printed.substring(printed.indexOf("APPLICATION FAILED TO START"));
    }

    private static InvalidSettingException refused(String url, String topicPrefix, String discoveryPrefix) {
        return catchThrowableOfType(InvalidSettingException.class, () -> new DoorcastProperties.Mqtt(
                url, null, null, null, topicPrefix, discoveryPrefix, Duration.ofSeconds(5), 64));
    }

    @Test
    void aBrokerAddressThatIsNotTcpOrSslHostAndPortStopsTheStartSayingHowToWriteIt(CapturedOutput output) {
        String report = failedStart(output, "--doorcast.mqtt.url=http://broker.local:1883");

        assertThat(report).contains("'http://broker.local:1883' is not an MQTT broker address")
                .contains("tcp://host:port or ssl://host:port").contains("doorcast.mqtt.url")
                .contains("DOORCAST_MQTT_URL").doesNotContain("\tat ");
        for (String url : new String[] {"tcp://broker.local", "broker.local:1883", "tcp://broker.local:99999",
                "tcp://broker.local:0", "tcp://broker.local:1883/path", "mqtt://broker.local:1883"}) {
            assertThat(refused(url, "doorcast", "homeassistant")).as(url)
                    .hasMessageContaining("is not an MQTT broker address");
        }
        for (String url : new String[] {"tcp://broker.local:1883", "ssl://10.0.0.2:8883", "tcp://[::1]:1883"}) {
            assertThat(refused(url, "doorcast", "homeassistant")).as(url).isNull();
        }
    }

    @Test
    void aPasswordWrittenIntoTheAddressIsRefusedAndNotPrinted(CapturedOutput output) {
        int before = output.getAll().length();
        String report = failedStart(output, "--doorcast.mqtt.url=tcp://doorcast:hunter2-secret@broker.local:1883");

        assertThat(report).contains("'tcp://***@broker.local:1883' is not an MQTT broker address")
                .contains("doorcast.mqtt.username and doorcast.mqtt.password");
        assertThat(output.getAll().substring(before)).doesNotContain("hunter2-secret");
    }

    @Test
    void aPrefixWithAWildcardOrAnEmptyLevelIsRefused() {
        for (String prefix : new String[] {"door#", "door/+/cast", "/doorcast", "doorcast/", "a//b", "$SYS", ""}) {
            assertThat(refused(null, prefix, "homeassistant")).as(prefix)
                    .hasMessageContaining("cannot begin an MQTT topic")
                    .hasMessageContaining("DOORCAST_MQTT_TOPIC_PREFIX");
        }
        assertThat(refused(null, "doorcast", "home+assistant"))
                .hasMessageContaining("DOORCAST_MQTT_DISCOVERY_PREFIX");
        assertThat(refused(null, "home/doorcast", "homeassistant")).as("several levels").isNull();
    }

    @Test
    void aDeviceIdThatCouldNotBeOneTopicLevelCannotBeConfigured(CapturedOutput output) {
        String report = failedStart(output, "--doorcast.mqtt.url=tcp://127.0.0.1:1883",
                "--doorcast.devices[front#].token=front-device-token-0123456789");

        assertThat(report).contains("'front#' is not a device id").doesNotContain("\tat ");
    }

    @Test
    void theSettingsNeverShowThePassword() {
        DoorcastProperties.Mqtt mqtt = new DoorcastProperties.Mqtt("tcp://broker.local:1883", "doorcast",
                "hunter2-secret", null, "doorcast", "homeassistant", Duration.ofSeconds(5), 64);

        assertThat(mqtt.toString()).contains("doorcast").doesNotContain("hunter2-secret");
    }
}
