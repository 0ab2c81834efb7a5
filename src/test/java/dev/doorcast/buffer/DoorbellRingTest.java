package dev.doorcast.buffer;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DoorbellRingTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final StreamBuffer buffer = new StreamBuffer(30, 10, clock);
    private final DoorbellRings rings = new DoorbellRings(buffer,
            new RingSettings(3, Duration.ofSeconds(3), Duration.ofSeconds(3), 10), clock);

    /** One frame every 200 ms, as the doorbell sends them. */
    private List<Frame> frames(int count) {
        List<Frame> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            now.addAndGet(200);
            added.add(buffer.addFrame(new byte[] {(byte) i}, null, null, null));
        }
        return added;
    }

    @Test
    void aRingKeepsTheNewestFrameAsItsPictureAndTheSecondsAroundItAsItsClip() {
        List<Frame> sent = frames(25);
        DoorbellRing ring = rings.ring(42L);

        assertThat(ring.snapshot()).isSameAs(sent.getLast());
        assertThat(ring.time()).isEqualTo(now.get());
        assertThat(ring.deviceTimestamp()).isEqualTo(42L);
        assertThat(ring.clip()).as("3 s before at 5 fps, capped at half the clip")
                .containsExactlyElementsOf(sent.subList(20, 25));
        List<Frame> after = frames(10);

        assertThat(ring.clip()).hasSize(10).endsWith(after.subList(0, 5).toArray(Frame[]::new));
        assertThat(ring.recording()).as("the clip is full").isFalse();
        assertThat(ring.clip().get(5).jpeg()).as("shared, not copied").isSameAs(after.getFirst().jpeg());
    }

    @Test
    void framesJoinTheClipOnlyForClipAfter() {
        StreamBuffer roomy = new StreamBuffer(30, 10, clock);
        DoorbellRings roomyRings = new DoorbellRings(roomy, new RingSettings(3, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 100), clock);
        roomy.addFrame(new byte[] {1}, null, null, null);
        DoorbellRing ring = roomyRings.ring(null);
        for (int i = 0; i < 8; i++) {
            now.addAndGet(200);
            roomy.addFrame(new byte[] {2}, null, null, null);
        }

        assertThat(ring.clip()).as("the one before, and those of the next second").hasSize(1 + 4);
        assertThat(ring.recording()).isFalse();
    }

    @Test
    void aRingAfterALongSilenceTakesTheFirstFrameThatComesAsItsPicture() {
        frames(3);
        now.addAndGet(60_000);
        DoorbellRing ring = rings.ring(null);

        assertThat(ring.snapshot()).as("a minute-old frame is not who rang").isNull();
        assertThat(ring.clip()).isEmpty();
        Frame first = frames(1).getFirst();

        assertThat(ring.snapshot()).isSameAs(first);
    }

    @Test
    void onlyTheLastFewRingsAreKeptNewestFirstWithGrowingNumbers() {
        frames(1);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(rings.ring(null).id());
        }

        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(rings.list()).extracting(DoorbellRing::id).containsExactly(ids.get(4), ids.get(3), ids.get(2));
        assertThat(rings.get(ids.get(0))).isNull();
        assertThat(rings.get(ids.get(4))).isNotNull();
        assertThat(rings.taken()).isEqualTo(5);
    }

    @Test
    void aRingFromAnotherInstanceKeepsItsNumberAndIsToldOnce() {
        List<DoorbellRing> told = new ArrayList<>();
        buffer.addListener(new BufferListener() {
            @Override
            public void onRing(DoorbellRing ring) {
                told.add(ring);
            }
        });
        frames(2);

        DoorbellRing relayed = rings.addRing(now.get() + 500, now.get() - 10);
        rings.addRing(now.get() + 500, now.get() - 10);
        DoorbellRing local = rings.ring(null);

        assertThat(relayed.id()).isEqualTo(now.get() + 500);
        assertThat(relayed.time()).isEqualTo(now.get() - 10);
        assertThat(told).containsExactly(relayed, local);
        assertThat(local.id()).as("numbers keep growing past a relayed one").isGreaterThan(relayed.id());
        assertThat(relayed.relayed()).as("taken by another instance").isTrue();
        assertThat(local.relayed()).as("taken here, from the doorbell").isFalse();
    }

    @Test
    void aReaderOfAFinishedClipDoesNotWait() throws Exception {
        frames(3);
        DoorbellRing ring = rings.ring(null);
        now.addAndGet(10_000);

        assertThat(ring.awaitFrame(2)).isNotNull();
        assertThat(ring.awaitFrame(3)).isNull();
    }

    @Test
    void aDeletedRingIsForgottenForGoodAndTheListenersAreToldOnlyOfADeletionHere() {
        frames(3);
        List<DoorbellRing> told = new ArrayList<>();
        buffer.addListener(new BufferListener() {
            @Override
            public void onRingDeleted(DoorbellRing ring) {
                told.add(ring);
            }
        });
        DoorbellRing here = rings.ring(null);
        DoorbellRing elsewhere = rings.addRing(here.id() + 1, now.get());

        assertThat(rings.delete(here.id())).isSameAs(here);
        rings.forget(elsewhere.id());

        assertThat(rings.list()).isEmpty();
        assertThat(here.deleted()).isTrue();
        assertThat(here.snapshot()).isNull();
        assertThat(elsewhere.deleted()).as("deleted on another instance").isTrue();
        assertThat(told).containsExactly(here);
        assertThat(rings.delete(here.id())).isNull();
    }

    @Test
    void ringsOlderThanATimeAreForgotten() {
        frames(2);
        DoorbellRing old = rings.ring(null);
        now.addAndGet(5_000);
        DoorbellRing recent = rings.ring(null);

        rings.forgetBefore(recent.time());

        assertThat(rings.list()).containsExactly(recent);
        assertThat(old.snapshot()).isNull();
    }
}
