package dev.doorcast.security;

import java.util.Map;

import dev.doorcast.system.DoorcastProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class DeviceCredentialsTest {

    private static DoorcastProperties properties(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("doorcast", Bindable.of(DoorcastProperties.class));
    }

    @Test
    void refusesToStartWithoutATokenOutsideTheDemo() {
        DoorcastProperties noToken = properties(Map.of("doorcast.demo.enabled", "false"));

        assertThatIllegalStateException().isThrownBy(() -> DeviceCredentials.from(noToken))
                .withMessageContaining("DOORCAST_SECURITY_DEVICE_TOKEN");
    }

    @Test
    void blankTokenCountsAsNone() {
        DoorcastProperties blank = properties(Map.of(
                "doorcast.demo.enabled", "false", "doorcast.security.device-token", "  "));

        assertThatIllegalStateException().isThrownBy(() -> DeviceCredentials.from(blank));
    }

    @Test
    void demoWithoutATokenGetsARandomOneNobodyCanGuess() {
        DeviceCredentials first = DeviceCredentials.from(properties(Map.of()));
        DeviceCredentials second = DeviceCredentials.from(properties(Map.of()));

        assertThat(first.token()).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(second.token());
        assertThat(first.matches(first.token())).isTrue();
        assertThat(first.matches(second.token())).isFalse();
    }

    @Test
    void shortTokenRefusesToStartOutsideTheDemoSayingHowToMakeOne() {
        assertThatIllegalStateException().isThrownBy(() -> DeviceCredentials.from(properties(Map.of(
                        "doorcast.demo.enabled", "false", "doorcast.security.device-token", "change-me"))))
                .withMessageContaining("doorcast.security.device-token")
                .withMessageContaining("DOORCAST_SECURITY_DEVICE_TOKEN")
                .withMessageContaining("at least 16")
                .withMessageContaining("openssl rand -hex 32");
        assertThatIllegalStateException().isThrownBy(() -> DeviceCredentials.from(properties(Map.of(
                        "doorcast.demo.enabled", "false", "doorcast.security.device-token", "0123456789abcdef",
                        "doorcast.devices.porch.token", "short"))))
                .withMessageContaining("doorcast.devices.porch.token");
    }

    @Test
    void matchesOnlyTheExactConfiguredToken() {
        DeviceCredentials credentials = DeviceCredentials.from(properties(Map.of(
                "doorcast.demo.enabled", "false", "doorcast.security.device-token", "s3cret-0123456789")));

        assertThat(credentials.matches("s3cret-0123456789")).isTrue();
        assertThat(credentials.matches("s3cret-012345678")).isFalse();
        assertThat(credentials.matches("s3cret-0123456789 ")).isFalse();
        assertThat(credentials.matches("S3CRET-0123456789")).isFalse();
        assertThat(credentials.matches("")).isFalse();
        assertThat(credentials.matches(null)).isFalse();
    }

    @Test
    void defaultDeviceMayBeNamedWithoutATokenOfItsOwnThere() {
        DeviceCredentials credentials = DeviceCredentials.from(properties(Map.of(
                "doorcast.demo.enabled", "false", "doorcast.security.device-token", "s3cret-0123456789",
                "doorcast.devices.doorbell.name", "Back door")));

        assertThat(credentials.token()).isEqualTo("s3cret-0123456789");
        assertThat(credentials.matches("s3cret-0123456789")).isTrue();
    }

    @Test
    void theDefaultDevicesTokenMaySitWithTheOtherDevicesButNotInBothPlaces() {
        DeviceCredentials credentials = DeviceCredentials.from(properties(Map.of(
                "doorcast.demo.enabled", "false", "doorcast.devices.doorbell.token", "s3cret-0123456789",
                "doorcast.devices.porch.token", "porch-0123456789")));

        assertThat(credentials.deviceFor("s3cret-0123456789")).isEqualTo(DoorcastProperties.DEFAULT_DEVICE);
        assertThat(credentials.deviceFor("porch-0123456789")).isEqualTo("porch");
        assertThatIllegalStateException().isThrownBy(() -> DeviceCredentials.from(properties(Map.of(
                        "doorcast.demo.enabled", "false", "doorcast.security.device-token", "s3cret-0123456789",
                        "doorcast.devices.doorbell.token", "other-0123456789"))))
                .withMessageContaining("set twice");
    }

    @Test
    void anotherDeviceWithoutATokenIsRefused() {
        DoorcastProperties nameOnly = properties(Map.of(
                "doorcast.demo.enabled", "false", "doorcast.security.device-token", "s3cret-0123456789",
                "doorcast.devices.garage.name", "Garage"));

        assertThatIllegalStateException().isThrownBy(() -> DeviceCredentials.from(nameOnly))
                .withMessageContaining("doorcast.devices.garage.token");
    }
}
