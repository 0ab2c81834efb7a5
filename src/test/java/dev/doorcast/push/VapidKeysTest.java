package dev.doorcast.push;

import java.net.URI;
import java.security.interfaces.ECPrivateKey;

import dev.doorcast.system.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The VAPID subject is checked at start; a token's audience is the push service's origin. */
@ExtendWith(OutputCaptureExtension.class)
class VapidKeysTest {

    private static final String APPLE_WARNING = "A push goes to Apple's push service with no VAPID subject";

    @Test
    void aSubjectIsAMailtoAddressOrAnHttpsUrl() {
        assertThat(VapidKeys.checkedSubject("mailto:owner@example.com")).isEqualTo("mailto:owner@example.com");
        assertThat(VapidKeys.checkedSubject("https://example.com/contact")).isEqualTo("https://example.com/contact");
        assertThat(VapidKeys.checkedSubject(null)).isNull();
        for (String wrong : new String[] {"owner@example.com", "mailto:", "mailto:owner", "mailto:@example.com",
                "http://example.com/", "https:///nohost", "mailto:a b@example.com"}) {
            assertThatThrownBy(() -> VapidKeys.checkedSubject(wrong)).as(wrong)
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining("doorcast.push.subject");
        }
    }

    @Test
    void theAudienceIsTheOriginWithoutTheDefaultPort() {
        assertThat(VapidKeys.origin(URI.create("https://FCM.googleapis.com:443/fcm/send/x")))
                .isEqualTo("https://fcm.googleapis.com");
        assertThat(VapidKeys.origin(URI.create("http://127.0.0.1:8999/push/x"))).isEqualTo("http://127.0.0.1:8999");
    }

    @Test
    void withoutASubjectTheFirstPushToAppleWarnsOnceAndOthersDoNot(CapturedOutput output) {
        VapidKeys keys = new VapidKeys((ECPrivateKey) P256.generate().getPrivate(), null);

        keys.authorization(URI.create("https://fcm.googleapis.com/fcm/send/x"), 1_000);
        assertThat(output.getOut()).doesNotContain(APPLE_WARNING);
        keys.authorization(URI.create("https://web.push.apple.com/QGuQyavXutnMH"), 1_000);
        keys.authorization(URI.create("https://web.push.apple.com/QGuQyavXutnMI"), 1_000);
        assertThat(output.getOut().split(APPLE_WARNING, -1)).as("one warning").hasSize(2);
    }

    @Test
    void withASubjectNoPushWarns(CapturedOutput output) {
        VapidKeys keys = new VapidKeys((ECPrivateKey) P256.generate().getPrivate(), "mailto:owner@example.com");

        keys.authorization(URI.create("https://web.push.apple.com/QGuQyavXutnMH"), 1_000);
        assertThat(output.getOut()).doesNotContain(APPLE_WARNING);
    }
}
