package dev.doorcast.events;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DeviceEventsTest {

    private final DeviceEvents events = new DeviceEvents(List.of("doorbell", "front"), () -> Instant.ofEpochMilli(42));

    @Test
    void eachConfiguredDeviceHasItsOwnLogOfflineSinceTheStart() {
        events.of("front").publish("ring", "{}");

        assertThat(events.of("front").published()).isEqualTo(1);
        assertThat(events.of("doorbell").published()).isZero();
        assertThat(events.of("doorbell").start().presence().data()).isEqualTo("{\"device\":\"doorbell\",\"time\":42}");
        assertThat(events.all()).extracting(DoorEvents::device).containsExactly("doorbell", "front");
    }

    @Test
    void aDeviceThatIsNotConfiguredHasNone() {
        assertThatIllegalArgumentException().isThrownBy(() -> events.of("garage")).withMessageContaining("garage");
    }
}
