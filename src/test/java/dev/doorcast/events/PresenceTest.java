package dev.doorcast.events;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

import dev.doorcast.buffer.Frame;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PresenceTest {

    private final AtomicLong now = new AtomicLong(10_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final StreamBuffer buffer = new StreamBuffer(4, 4, clock);
    private final DoorEvents events = new DoorEvents("front", 0);
    private final Presence presence = new Presence(events, buffer, Duration.ofSeconds(5));

    PresenceTest() {
        buffer.addListener(presence);
    }

    @Test
    void theFirstFrameTurnsTheDeviceOnlineAtOnceAndTheNextOnesSayNothing() {
        Frame first = buffer.addFrame(TestMedia.jpeg(1), null, null, null);

        assertThat(events.online()).as("on the thread that stored the frame").isTrue();
        assertThat(events.after(0).type()).isEqualTo("online");
        assertThat(events.after(0).data()).isEqualTo("{\"device\":\"front\",\"time\":" + first.receivedAt() + "}");

        now.addAndGet(200);
        buffer.addFrame(TestMedia.jpeg(2), null, null, null);
        assertThat(events.published()).isEqualTo(1);
    }

    @Test
    void aSweepPastTheThresholdWithoutAFrameTurnsItOfflineOnce() {
        buffer.addFrame(TestMedia.jpeg(1), null, null, null);

        presence.check(now.get() + 5_000);
        assertThat(events.online()).as("exactly the threshold is not past it").isTrue();

        presence.check(now.get() + 5_001);
        assertThat(events.online()).isFalse();
        assertThat(events.after(1).type()).isEqualTo("offline");
        assertThat(events.after(1).data()).isEqualTo("{\"device\":\"front\",\"time\":15001}");

        presence.check(now.get() + 9_000);
        assertThat(events.published()).as("offline is said once").isEqualTo(2);
    }

    @Test
    void aFrameAfterTheSilenceTurnsItOnlineAgain() {
        buffer.addFrame(TestMedia.jpeg(1), null, null, null);
        now.addAndGet(6_000);
        presence.check(now.get());

        buffer.addFrame(TestMedia.jpeg(2), null, null, null);

        assertThat(events.online()).isTrue();
        assertThat(events.after(2).type()).isEqualTo("online");
        assertThat(events.published()).isEqualTo(3);
    }

    @Test
    void aDeviceThatNeverSentIsNeverSaidToGoOffline() {
        presence.check(now.get() + 60_000);

        assertThat(events.published()).isZero();
        assertThat(events.online()).isFalse();
    }
}
