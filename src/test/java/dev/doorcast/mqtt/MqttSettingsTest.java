package dev.doorcast.mqtt;

import dev.doorcast.DoorcastApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void aBrokerAddressThatIsNotTcpOrSslHostAndPortSaysHowToWriteIt(CapturedOutput output) {
        for (String url : new String[] {"http://broker.local:1883", "tcp://broker.local", "broker.local:1883",
                "tcp://broker.local:99999", "tcp://broker.local:1883/path"}) {
            String report = failedStart(output, "--doorcast.mqtt.url=" + url);

            assertThat(report).as(url).contains("is not an MQTT broker address")
                    .contains("tcp://host:port or ssl://host:port").contains("doorcast.mqtt.url")
                    .contains("DOORCAST_MQTT_URL").doesNotContain("\tat ");
        }
    }

    @Test
    void aPasswordWrittenIntoTheAddressIsRefusedAndNotPrinted(CapturedOutput output) {
        int before = output.getAll().length();
        String report = failedStart(output, "--doorcast.mqtt.url=tcp://doorcast:hunter2-secret@broker.local:1883");

        assertThat(report).contains("doorcast.mqtt.username and doorcast.mqtt.password");
        assertThat(output.getAll().substring(before)).doesNotContain("hunter2-secret");
    }

    @Test
    void aTopicPrefixWithAWildcardOrAnEmptyLevelIsRefused(CapturedOutput output) {
        for (String prefix : new String[] {"door#", "door/+/cast", "/doorcast", "doorcast/", "a//b", "$SYS"}) {
            String report = failedStart(output, "--doorcast.mqtt.url=tcp://127.0.0.1:1883",
                    "--doorcast.mqtt.topic-prefix=" + prefix);

            assertThat(report).as(prefix).contains("cannot begin an MQTT topic")
                    .contains("DOORCAST_MQTT_TOPIC_PREFIX").doesNotContain("\tat ");
        }
        String report = failedStart(output, "--doorcast.mqtt.url=tcp://127.0.0.1:1883",
                "--doorcast.mqtt.discovery-prefix=home+assistant");
        assertThat(report).contains("DOORCAST_MQTT_DISCOVERY_PREFIX");
    }

    @Test
    void aDeviceIdThatCouldNotBeOneTopicLevelCannotBeConfigured(CapturedOutput output) {
        for (String id : new String[] {"front#", "a/b", "+"}) {
            String report = failedStart(output, "--doorcast.mqtt.url=tcp://127.0.0.1:1883",
                    "--doorcast.devices[" + id + "].token=front-device-token-0123456789");

            assertThat(report).as(id).contains("is not a device id").doesNotContain("\tat ");
        }
    }
}
