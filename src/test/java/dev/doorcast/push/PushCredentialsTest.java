package dev.doorcast.push;

import java.util.HashMap;
import java.util.Map;

import dev.doorcast.system.DoorcastProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** A subscription is told of a device's rings while the token that made it is configured and opens that device. */
class PushCredentialsTest {

    private static final byte[] KEY = new byte[32];

    private static PushCredentials credentials(String... settings) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return PushCredentials.from(new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("doorcast", Bindable.of(DoorcastProperties.class)), KEY);
    }

    @Test
    void aSubscriptionMadeWithATokenEndsWhenTheTokenIsChanged() {
        PushCredentials before = credentials("doorcast.security.viewer-token", "owner-token-0123456789",
                "doorcast.devices.back.viewer-token", "back-token-0123456789");
        String owner = before.of("owner");
        String back = before.of("device:back");

        PushCredentials rotated = credentials("doorcast.security.viewer-token", "owner-token-0123456789",
                "doorcast.devices.back.viewer-token", "new-back-token-0123456789");

        assertThat(owner).isNotNull().doesNotContain("owner-token");
        assertThat(rotated.opens("owner", owner, "back")).as("the owner's token is unchanged").isTrue();
        assertThat(rotated.opens("device:back", back, "back")).as("made with the old token").isFalse();
        assertThat(before.opens("device:back", back, "back")).isTrue();
        assertThat(before.opens("device:back", back, "doorbell")).as("another household's doorbell").isFalse();
    }

    @Test
    void openSubscriptionsArePushedOnlyWhileViewerAccessIsOff() {
        PushCredentials open = credentials();
        PushCredentials guarded = credentials("doorcast.security.viewer-token", "owner-token-0123456789");

        assertThat(open.of("address:10.0.0.1")).isEqualTo(PushCredentials.OPEN);
        assertThat(open.opens("address:10.0.0.1", PushCredentials.OPEN, "doorbell")).isTrue();
        assertThat(guarded.opens("address:10.0.0.1", PushCredentials.OPEN, "doorbell")).isFalse();
        assertThat(open.opens("owner", guarded.of("owner"), "doorbell")).as("a token's, once access is off").isFalse();
    }
}
