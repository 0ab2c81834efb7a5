package dev.doorcast.push;

import java.util.List;

import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Endpoints are matched with the allowed push services part by part, so that no look-alike gets through. */
class AllowedEndpointsTest {

    private final AllowedEndpoints defaults = new AllowedEndpoints(new Binder(new MapConfigurationPropertySource())
            .bindOrCreate("doorcast", Bindable.of(DoorcastProperties.class)).push().allowedEndpoints());

    @Test
    void theMajorPushServicesAreAllowedByDefault() {
        for (String endpoint : List.of("https://fcm.googleapis.com/fcm/send/dT1x:APA91b",
                "https://updates.push.services.mozilla.com/wpush/v2/gAAAAAB",
                "https://web.push.apple.com/QGuQyavXutnMH",
                "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAC",
                "https://FCM.googleapis.com:443/fcm/send/x")) {
            assertThat(defaults.check(endpoint)).as(endpoint).isNotNull();
        }
    }

    @Test
    void lookAlikesOtherSchemesAndClimbingPathsAreRefused() {
        for (String endpoint : List.of("http://fcm.googleapis.com/fcm/send/x", "https://fcm.googleapis.com.evil.example/",
                "https://fcm.googleapis.com@evil.example/", "https://evil.example/https://fcm.googleapis.com/",
                "https://fcm.googleapis.com:8443/x", "https://notify.windows.com/x", "https://evilnotify.windows.com/x",
                "https://notify.windows.com.evil.example/x", "https://x.notify.windows.com.evil.example/x",
                "https://169.254.169.254/latest", "file:///etc/passwd", "//fcm.googleapis.com/x", "fcm.googleapis.com",
                "https://fcm.googleapis.com/a/../../x".replace("/a/..", "/a/.."), "")) {
            assertThatIllegalArgumentException().as(endpoint).isThrownBy(() -> defaults.check(endpoint));
        }
    }

    @Test
    void aPrefixWithAPathAdmitsOnlyThatPath() {
        AllowedEndpoints one = new AllowedEndpoints(List.of("http://127.0.0.1:8999/push/"));

        assertThat(one.check("http://127.0.0.1:8999/push/abc")).isNotNull();
        assertThatIllegalArgumentException().isThrownBy(() -> one.check("http://127.0.0.1:8999/other"));
        assertThatIllegalArgumentException().isThrownBy(() -> one.check("http://127.0.0.1:8999/push/../other"));
        assertThatIllegalArgumentException().isThrownBy(() -> one.check("http://127.0.0.1:9000/push/abc"));
        assertThatIllegalArgumentException().isThrownBy(() -> one.check("https://127.0.0.1:8999/push/abc"));
    }

    @Test
    void aWildcardOverATopLevelDomainOrAPrefixThatIsNoUrlRefusesToStart() {
        assertThatThrownBy(() -> new AllowedEndpoints(List.of("https://*.com/"))).isInstanceOf(InvalidSettingException.class);
        assertThatThrownBy(() -> new AllowedEndpoints(List.of("ftp://push.example/"))).isInstanceOf(InvalidSettingException.class);
        assertThatThrownBy(() -> new AllowedEndpoints(List.of("https://user@push.example/"))).isInstanceOf(InvalidSettingException.class);
    }
}
