package dev.doorcast.system;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class DoorcastPropertiesTest {

    private static DoorcastProperties properties(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("doorcast", Bindable.of(DoorcastProperties.class));
    }

    @Test
    void devicesAreCalledByTheirConfiguredNameElseFrontDoorForTheDefaultAndTheirIdForOthers() {
        DoorcastProperties unnamed = properties(Map.of("doorcast.devices.garage.token", "garage-token"));
        DoorcastProperties named = properties(Map.of(
                "doorcast.devices.doorbell.name", "Back door",
                "doorcast.devices.garage.token", "garage-token",
                "doorcast.devices.garage.name", "Garage side"));

        assertThat(unnamed.deviceName("doorbell")).isEqualTo("Front door");
        assertThat(unnamed.deviceName("garage")).isEqualTo("garage");
        assertThat(named.deviceName("doorbell")).isEqualTo("Back door");
        assertThat(named.deviceName("garage")).isEqualTo("Garage side");
        assertThat(named.deviceIds()).containsExactly("doorbell", "garage");
    }
}
