package dev.doorcast.stream;

import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

import dev.doorcast.system.StreamClaim;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeepAliveSweeperTest {

    private static final long KEEP_ALIVE = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aStreamWhoseBodyNeverStartedGivesItsPlaceBackAndOneThatStartedKeepsIt() {
        StreamQuota quota = new StreamQuota(10, 0, 0);
        ViewerRegistry registry = new ViewerRegistry(quota, InstantSource.system());
        Viewer lost = registry.join(Viewer.Kind.VIDEO, StreamClaim.forViewerToken(null));
        Viewer watching = registry.join(Viewer.Kind.VIDEO, StreamClaim.forViewerToken(null));
        watching.started();

        KeepAliveSweeper.sweep(registry, System.nanoTime(), KEEP_ALIVE);
        assertThat(registry.viewers(Viewer.Kind.VIDEO)).as("too early to give up").contains(lost, watching);

        KeepAliveSweeper.sweep(registry, System.nanoTime() + KeepAliveSweeper.NEVER_STARTED_NANOS, KEEP_ALIVE);
        assertThat(registry.viewers(Viewer.Kind.VIDEO)).containsExactly(watching);
        assertThat(quota.connected()).isEqualTo(1);
    }
}
