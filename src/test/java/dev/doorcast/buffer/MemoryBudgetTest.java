package dev.doorcast.buffer;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MemoryBudgetTest {

    private static final int LARGE = 250_000;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

    /** Each buffer's rings, kept beside it. */
    private final Map<StreamBuffer, DoorbellRings> rings = new IdentityHashMap<>();

    private StreamBuffer buffer(MemoryBudget budget) {
        return buffer(30, 100, RingSettings.DEFAULTS, budget);
    }

    private StreamBuffer buffer(int frames, int audio, RingSettings settings, MemoryBudget budget) {
        StreamBuffer buffer = new StreamBuffer(frames, audio, budget, clock);
        rings.put(buffer, new DoorbellRings(buffer, settings, clock));
        return buffer;
    }

    private DoorbellRings rings(StreamBuffer buffer) {
        return rings.get(buffer);
    }

    @Test
    void compromisedDoorbellsAtTheirLimitsStayWithinOneBudget() {
        MemoryBudget budget = new MemoryBudget(30_000_000);
        List<StreamBuffer> doorbells = List.of(buffer(budget), buffer(budget));
        long highest = 0;
        // A minute of 250 KB frames at 30 fps, a ring every 1.5 s, each frame its own bytes.
        for (int tick = 0; tick < 60 * 30; tick++) {
            now.addAndGet(33);
            for (StreamBuffer doorbell : doorbells) {
                doorbell.addFrame(new byte[LARGE], null, null, null);
                if (tick % 45 == 0) {
                    rings(doorbell).ring(null);
                }
                doorbell.addAudio(new byte[2048], null);
            }
            highest = Math.max(highest, budget.held());
        }

        assertThat(highest).as("never past the budget after a post").isLessThanOrEqualTo(budget.limit());
        assertThat(budget.held()).isEqualTo(doorbells.get(0).heldBytes() + doorbells.get(1).heldBytes());
        assertThat(budget.clipsReleased()).as("rings were forgotten to stay within it").isPositive();
        for (StreamBuffer doorbell : doorbells) {
            assertThat(rings(doorbell).list()).as("each keeps its newest ring").hasSize(1);
            assertThat(rings(doorbell).list().getFirst().clip()).isNotEmpty();
            assertThat(held(doorbell)).as("what is counted is what the buffer holds").isLessThanOrEqualTo(
                    doorbell.heldBytes());
        }
    }

    @Test
    void withoutABudgetTheSameDoorbellsWouldHoldFarMore() {
        StreamBuffer doorbell = buffer(MemoryBudget.unbounded());
        for (int tick = 0; tick < 20 * 30; tick++) {
            now.addAndGet(33);
            doorbell.addFrame(new byte[LARGE], null, null, null);
            if (tick % 45 == 0) {
                rings(doorbell).ring(null);
            }
        }

        assertThat(doorbell.heldBytes()).as("ten rings of 45 large frames, and the frame buffer")
                .isGreaterThan(100_000_000L);
    }

    @Test
    void theOldestRingGoesFirst() {
        MemoryBudget budget = new MemoryBudget(9_500);
        StreamBuffer doorbell = buffer(2, 10,
                new RingSettings(10, Duration.ofSeconds(3), Duration.ofSeconds(3), 4), budget);
        doorbell.addFrame(new byte[1000], null, null, null);
        DoorbellRing first = rings(doorbell).ring(null);
        for (int i = 0; i < 3; i++) {
            now.addAndGet(100);
            doorbell.addFrame(new byte[1000], null, null, null);
        }
        now.addAndGet(10_000);
        DoorbellRing second = rings(doorbell).ring(null);
        for (int i = 0; i < 3; i++) {
            now.addAndGet(100);
            doorbell.addFrame(new byte[1000], null, null, null);
        }
        assertThat(rings(doorbell).list()).containsExactly(second, first);

        now.addAndGet(10_000);
        DoorbellRing third = rings(doorbell).ring(null);
        now.addAndGet(100);
        doorbell.addFrame(new byte[1000], null, null, null);

        assertThat(rings(doorbell).list()).as("the oldest forgotten, the newer kept").containsExactly(third, second);
        assertThat(first.snapshot()).as("its picture let go").isNull();
        assertThat(first.clip()).isEmpty();
        assertThat(second.clip()).hasSize(3);
        assertThat(budget.held()).isLessThanOrEqualTo(budget.limit());
        assertThat(budget.clipsReleased()).isEqualTo(1);
    }

    @Test
    void theDeviceHoldingTheMostGivesBackFirst() {
        MemoryBudget budget = new MemoryBudget(3_000_000);
        StreamBuffer household = buffer(budget);
        StreamBuffer compromised = buffer(budget);
        household.addFrame(new byte[9_000], null, null, null);
        DoorbellRing visitor = rings(household).ring(null);
        for (int tick = 0; tick < 30 * 30; tick++) {
            now.addAndGet(33);
            compromised.addFrame(new byte[LARGE], null, null, null);
            if (tick % 45 == 0) {
                rings(compromised).ring(null);
            }
            if (tick % 6 == 0) {
                household.addFrame(new byte[9_000], null, null, null);
            }
        }

        assertThat(rings(household).list()).as("the household's ring outlives the flood").containsExactly(visitor);
        assertThat(visitor.clip()).isNotEmpty();
        assertThat(budget.held()).isLessThanOrEqualTo(budget.limit());
    }

    @Test
    void pastTheRingsFramesGoButEachDeviceKeepsItsNewest() {
        MemoryBudget budget = new MemoryBudget(LARGE * 3L);
        List<StreamBuffer> doorbells = List.of(buffer(budget), buffer(budget), buffer(budget), buffer(budget));
        Frame newest = null;
        for (int tick = 0; tick < 30; tick++) {
            now.addAndGet(33);
            for (StreamBuffer doorbell : doorbells) {
                newest = doorbell.addFrame(new byte[LARGE], null, null, null);
            }
        }

        assertThat(budget.held()).as("one newest frame each is kept even past the budget")
                .isLessThanOrEqualTo(LARGE * 4L);
        for (StreamBuffer doorbell : doorbells) {
            assertThat(doorbell.latestFrame()).isNotNull();
        }
        assertThat(doorbells.getLast().latestFrame()).isSameAs(newest);
        assertThat(doorbells.getFirst().stats().framesEvicted()).isPositive();
    }

    @Test
    void aReaderWaitingOnAForgottenClipIsLetGo() throws Exception {
        MemoryBudget budget = new MemoryBudget(5_000);
        StreamBuffer doorbell = buffer(2, 10,
                new RingSettings(10, Duration.ofSeconds(3), Duration.ofSeconds(30), 45), budget);
        doorbell.addFrame(new byte[1000], null, null, null);
        DoorbellRing ring = rings(doorbell).ring(null);
        AtomicReference<@Nullable Frame> got = new AtomicReference<>(new Frame(0, 0, null, null, null, new byte[0]));
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                got.set(ring.awaitFrame(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.getState() == Thread.State.TIMED_WAITING);

        // Audio, not a frame: nothing joins the clip, but the buffer is now past its budget.
        doorbell.addAudio(new byte[4000], null);

        reader.join(Duration.ofSeconds(10));
        assertThat(reader.isAlive()).as("the reader of a forgotten clip finds it ended").isFalse();
        assertThat(got.get()).isNull();
        assertThat(rings(doorbell).get(ring.id())).isNull();
        assertThat(budget.held()).isEqualTo(1000 + 4000);
    }

    /** The bytes of what the buffer holds, each frame once: never more than what it counts. */
    private long held(StreamBuffer buffer) {
        java.util.Set<byte[]> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (DoorbellRing ring : rings(buffer).list()) {
            ring.clip().forEach(frame -> distinct.add(frame.jpeg()));
        }
        Frame latest = buffer.latestFrame();
        if (latest != null) {
            distinct.add(latest.jpeg());
        }
        return distinct.stream().mapToLong(bytes -> bytes.length).sum();
    }
}
