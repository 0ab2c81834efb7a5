package dev.doorcast.push;

import java.net.URI;

import dev.doorcast.system.InvalidSettingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The VAPID subject is checked at start; a token's audience is the push service's origin. */
class VapidKeysTest {

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
}
