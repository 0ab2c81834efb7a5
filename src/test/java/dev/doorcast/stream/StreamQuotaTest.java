package dev.doorcast.stream;

import java.util.ArrayList;
import java.util.List;

import dev.doorcast.system.ApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamQuotaTest {

    private static StreamClaim link(String name) {
        return new StreamClaim("link:" + name, false, Long.MAX_VALUE);
    }

    @Test
    void linksStopShortOfTheReservedSlotsWhichViewerTokensStillGet() {
        StreamQuota quota = new StreamQuota(5, 2, 0);
        for (int i = 0; i < 3; i++) {
            quota.admit(link("l" + i));
        }

        assertThatThrownBy(() -> quota.admit(link("another")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.retryAfterSeconds()).isPositive());
        quota.admit(StreamClaim.forViewerToken());
        quota.admit(StreamClaim.forViewerToken());
        assertThatThrownBy(() -> quota.admit(StreamClaim.forViewerToken())).isInstanceOf(ApiException.class);
        assertThat(quota.connected()).isEqualTo(5);
    }

    @Test
    void oneClientHoldsAtMostItsCapAndGetsASlotBackWhenAStreamEnds() {
        StreamQuota quota = new StreamQuota(100, 0, 2);
        StreamQuota.Lease first = quota.admit(link("a"));
        quota.admit(link("a"));

        assertThatThrownBy(() -> quota.admit(link("a"))).hasMessageContaining("access link already holds 2");
        quota.admit(link("b"));
        first.release();
        first.release();
        quota.admit(link("a"));
        assertThat(quota.connected()).isEqualTo(3);
        assertThatThrownBy(() -> quota.admit(link("a"))).isInstanceOf(ApiException.class);
    }

    @Test
    void everyReleaseForgetsTheClientOnceItHoldsNothing() {
        StreamQuota quota = new StreamQuota(100, 0, 3);
        List<StreamQuota.Lease> leases = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            leases.add(quota.admit(new StreamClaim("address:10.0.0." + i, false, Long.MAX_VALUE)));
        }
        leases.forEach(StreamQuota.Lease::release);

        assertThat(quota.clients()).isZero();
        assertThat(quota.connected()).isZero();
    }

    @Test
    void zeroMeansNoCapPerClient() {
        StreamQuota quota = new StreamQuota(100, 0, 0);
        for (int i = 0; i < 20; i++) {
            quota.admit(link("same"));
        }

        assertThat(quota.connected()).isEqualTo(20);
        assertThat(quota.clients()).isZero();
    }
}
