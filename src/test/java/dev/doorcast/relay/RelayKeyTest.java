package dev.doorcast.relay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class RelayKeyTest {

    @Test
    void aMissingSecretIsRefusedWithTheSettingAndHowToMakeOne() {
        for (String missing : new String[] {null, "", "   "}) {
            assertThatIllegalStateException().isThrownBy(() -> RelayKey.from(missing))
                    .withMessageContaining("doorcast.relay.secret")
                    .withMessageContaining("DOORCAST_RELAY_SECRET")
                    .withMessageContaining("openssl rand -hex 32");
        }
    }

    @Test
    void aShortSecretIsRefusedWithoutBeingShown() {
        assertThatIllegalStateException().isThrownBy(() -> RelayKey.from("fifteen-chars-x"))
                .withMessageContaining("doorcast.relay.secret")
                .withMessageContaining("DOORCAST_RELAY_SECRET")
                .withMessageContaining("at least 16")
                .withMessageContaining("openssl rand -hex 32")
                .withMessageNotContaining("fifteen-chars-x");
    }

    @Test
    void sixteenCharactersAreEnough() {
        assertThatNoException().isThrownBy(() -> RelayKey.from("sixteen-chars-xx"));
    }
}
