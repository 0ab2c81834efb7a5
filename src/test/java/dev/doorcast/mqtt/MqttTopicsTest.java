package dev.doorcast.mqtt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MqttTopicsTest {

    private final MqttTopics topics = new MqttTopics("home/doorcast", "homeassistant");

    @Test
    void aDeviceIsOneLevelUnderThePrefix() {
        assertThat(topics.ring("front-2")).isEqualTo("home/doorcast/front-2/ring");
        assertThat(topics.online("front-2")).isEqualTo("home/doorcast/front-2/online");
        assertThat(topics.snapshot("front-2")).isEqualTo("home/doorcast/front-2/snapshot");
        assertThat(topics.status()).isEqualTo("home/doorcast/status");
    }

    @Test
    void theNodeIdHasOnlyWhatHomeAssistantAllowsAndDiffersByPrefix() {
        assertThat(topics.node("front-2")).isEqualTo("home_doorcast_front-2");
        assertThat(topics.discovery("event", "front-2", "ring"))
                .isEqualTo("homeassistant/event/home_doorcast_front-2/ring/config");
        assertThat(new MqttTopics("doorcast", "homeassistant").node("front-2")).isEqualTo("doorcast_front-2");
    }

    @Test
    void anIdThatIsNotOneTopicLevelIsRefusedNotEscaped() {
        for (String id : new String[] {"a/b", "+", "#", "front#", "", "$SYS", "a\u0000b"}) {
            assertThatIllegalArgumentException().as(id).isThrownBy(() -> topics.ring(id));
        }
    }
}
