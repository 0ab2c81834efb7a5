package dev.doorcast.security;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.doorcast.system.DoorcastProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ViewerAccessTest {

    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

    private static DoorcastProperties properties(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("doorcast", Bindable.of(DoorcastProperties.class));
    }

    private ViewerAccess access(Map<String, String> values) {
        DoorcastProperties properties = properties(values);
        return ViewerAccess.from(properties, DeviceCredentials.from(properties), clock);
    }

    @Test
    void openWithoutAViewerToken() {
        ViewerAccess open = access(Map.of("doorcast.security.device-token", "device"));

        assertThat(open.required()).isFalse();
        assertThat(open.matchesToken("anything")).isFalse();
        assertThat(open.admits("1.abc")).isFalse();
    }

    @Test
    void prodRefusesToStartWithoutAViewerToken() {
        assertThatIllegalStateException().isThrownBy(() -> access(Map.of(
                        "doorcast.security.device-token", "device",
                        "doorcast.security.require-viewer-token", "true")))
                .withMessageContaining("DOORCAST_SECURITY_VIEWER_TOKEN");
    }

    @Test
    void viewerTokenMustDifferFromTheDeviceToken() {
        assertThatIllegalStateException().isThrownBy(() -> access(Map.of(
                        "doorcast.security.device-token", "same",
                        "doorcast.security.viewer-token", "same")))
                .withMessageContaining("must differ");
    }

    @Test
    void linkAdmitsUntilItExpiresThenNot() {
        ViewerAccess access = access(Map.of("doorcast.security.device-token", "device",
                "doorcast.security.viewer-token", "viewer", "doorcast.security.access-ttl", "10m"));
        ViewerAccess.Link link = access.newLink();

        assertThat(access.admits(link.access())).isTrue();
        assertThat(link.expiresAt()).isEqualTo(now.get() + Duration.ofMinutes(10).toMillis());
        now.addAndGet(Duration.ofMinutes(10).toMillis());
        assertThat(access.admits(link.access())).as("at expiry").isTrue();
        now.addAndGet(1000);
        assertThat(access.admits(link.access())).as("a second later").isFalse();
        assertThat(access.expired(link.access())).isTrue();
    }

    @Test
    void tamperedOrForeignLinksAreRefused() {
        ViewerAccess access = access(Map.of("doorcast.security.device-token", "device",
                "doorcast.security.viewer-token", "viewer"));
        ViewerAccess other = access(Map.of("doorcast.security.device-token", "device",
                "doorcast.security.viewer-token", "another-viewer"));
        String link = access.newLink().access();
        long expiry = Long.parseLong(link.substring(0, link.indexOf('.')));
        String signature = link.substring(link.indexOf('.') + 1);

        assertThat(access.admits((expiry + 3600) + "." + signature)).as("expiry pushed out").isFalse();
        assertThat(access.admits(expiry + "." + signature.substring(1))).isFalse();
        assertThat(access.admits(other.newLink().access())).as("signed with another token").isFalse();
        assertThat(access.admits("")).isFalse();
        assertThat(access.admits(".")).isFalse();
        assertThat(access.admits("abc.def")).isFalse();
        assertThat(access.admits(signature)).isFalse();
        assertThat(access.expired((expiry - 3600) + "." + signature)).as("expiry pulled in: forged, not expired")
                .isFalse();
        assertThat(access.expired(other.newLink().access())).isFalse();
        assertThat(access.expired(link)).as("good for now").isFalse();
    }

    @Test
    void tokenMatchesExactly() {
        ViewerAccess access = access(Map.of("doorcast.security.device-token", "device",
                "doorcast.security.viewer-token", "viewer"));

        assertThat(access.matchesToken("viewer")).isTrue();
        assertThat(access.matchesToken("device")).isFalse();
        assertThat(access.matchesToken("viewe")).isFalse();
        assertThat(access.matchesToken(null)).isFalse();
    }
}
