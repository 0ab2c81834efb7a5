package dev.doorcast.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.doorcast.system.ApiException;
import dev.doorcast.system.StreamClaim;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamQuotaTest {

    private static StreamClaim link(String name) {
        return new StreamClaim("link:" + name, false, null, Long.MAX_VALUE);
    }

    @Test
    void linksStopShortOfTheReservedSlotsWhichViewerTokensStillGet() {
        StreamQuota quota = new StreamQuota(5, 2, 0);
        for (int i = 0; i < 3; i++) {
            quota.admit(link("l" + i));
        }

        assertThatThrownBy(() -> quota.admit(link("another")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.retryAfterSeconds()).isPositive());
        quota.admit(StreamClaim.forViewerToken(null));
        quota.admit(StreamClaim.forViewerToken(null));
        assertThatThrownBy(() -> quota.admit(StreamClaim.forViewerToken(null))).isInstanceOf(ApiException.class);
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
            leases.add(quota.admit(new StreamClaim("address:10.0.0." + i, false, null, Long.MAX_VALUE)));
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

    @Test
    void aHouseholdHoldsItsShareAndNoMoreWhileTheOwnerAndTheOtherHouseholdStillGetIn() {
        int share = StreamQuota.equalShare(40, 4, true, 2);
        StreamQuota quota = new StreamQuota(40, 4, 6, Set.of("doorbell", "back"), share, true);
        for (int i = 0; i < share; i++) {
            quota.admit(StreamClaim.forViewerToken("back"));
        }

        assertThat(share).as("(40 - 4) / 2").isEqualTo(18);
        assertThatThrownBy(() -> quota.admit(StreamClaim.forViewerToken("back")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.retryAfterSeconds()).isPositive())
                .hasMessageContaining("household of 'back'");
        assertThatThrownBy(() -> quota.admit(new StreamClaim("link:b", false, "back", Long.MAX_VALUE)))
                .as("its links share its seats").hasMessageContaining("household of 'back'");
        for (int i = 0; i < share; i++) {
            quota.admit(StreamClaim.forViewerToken("doorbell"));
        }
        for (int i = 0; i < 4; i++) {
            quota.admit(StreamClaim.forViewerToken(null));
        }
        assertThat(quota.connected()).isEqualTo(40);
        assertThat(quota.heldBy("back")).isEqualTo(18);
    }

    @Test
    void theReservedStreamsAreTheOwnersWhateverTheOwnersLinksAndTheHouseholdsHold() {
        StreamQuota quota = new StreamQuota(10, 2, 0, Set.of("back"), 8, true);
        for (int i = 0; i < 6; i++) {
            quota.admit(new StreamClaim("link:garage", false, "garage", Long.MAX_VALUE));
        }
        quota.admit(StreamClaim.forViewerToken("back"));
        quota.admit(StreamClaim.forViewerToken("back"));

        assertThatThrownBy(() -> quota.admit(StreamClaim.forViewerToken("back"))).hasMessageContaining("limit of 10");
        quota.admit(StreamClaim.forViewerToken(null));
        quota.admit(StreamClaim.forViewerToken(null));
        assertThat(quota.connected()).isEqualTo(10);
    }

    @Test
    void withoutAnOwnersTokenTheHouseholdsTokensTakeTheReservedStreams() {
        StreamQuota quota = new StreamQuota(10, 2, 0, Set.of("back"), 10, false);
        for (int i = 0; i < 8; i++) {
            quota.admit(new StreamClaim("link:" + i, false, "garage", Long.MAX_VALUE));
        }

        quota.admit(StreamClaim.forViewerToken("back"));
        quota.admit(StreamClaim.forViewerToken("back"));
        assertThat(quota.connected()).isEqualTo(10);
    }

    @Test
    void aHouseholdsLinksStopShortOfTheSeatsKeptInItsShareForItsToken() {
        StreamQuota quota = new StreamQuota(100, 2, 3, Set.of("back"), 5, true);
        List<StreamQuota.Lease> links = new ArrayList<>();
        links.add(quota.admit(new StreamClaim("link:a", false, "back", Long.MAX_VALUE)));
        links.add(quota.admit(new StreamClaim("link:a", false, "back", Long.MAX_VALUE)));
        links.add(quota.admit(new StreamClaim("link:b", false, "back", Long.MAX_VALUE)));

        assertThatThrownBy(() -> quota.admit(new StreamClaim("link:c", false, "back", Long.MAX_VALUE)))
                .hasMessageContaining("through links");
        quota.admit(StreamClaim.forViewerToken("back"));
        quota.admit(StreamClaim.forViewerToken("back"));
        assertThatThrownBy(() -> quota.admit(StreamClaim.forViewerToken("back"))).isInstanceOf(ApiException.class);
        links.forEach(StreamQuota.Lease::release);
        assertThat(quota.heldBy("back")).isEqualTo(2);
        quota.admit(new StreamClaim("link:c", false, "porch", Long.MAX_VALUE));
        assertThat(quota.heldBy("porch")).as("a door without a household has no share").isZero();
    }

    @Test
    void aStreamRefusedByItsClientsCapGivesItsHouseholdSeatBack() {
        StreamQuota quota = new StreamQuota(100, 0, 1, Set.of("back"), 10, true);
        quota.admit(new StreamClaim("link:a", false, "back", Long.MAX_VALUE));

        assertThatThrownBy(() -> quota.admit(new StreamClaim("link:a", false, "back", Long.MAX_VALUE)))
                .hasMessageContaining("access link");
        assertThat(quota.heldBy("back")).isEqualTo(1);
    }

    @Test
    void theEqualShareLeavesTheOwnersReservedSeatsAndIsNeverZero() {
        assertThat(StreamQuota.equalShare(10000, 4, true, 1)).isEqualTo(9996);
        assertThat(StreamQuota.equalShare(40, 4, false, 2)).as("no owner to keep seats for").isEqualTo(20);
        assertThat(StreamQuota.equalShare(5, 4, true, 3)).isEqualTo(1);
    }
}
