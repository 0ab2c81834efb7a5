package dev.doorcast.system;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SweepsTest {

    private final Sweeps sweeps = new Sweeps();

    @AfterEach
    void shutDown() {
        sweeps.destroy();
    }

    @Test
    void aSweepThatThrowsStillRunsNextTime() {
        AtomicInteger runs = new AtomicInteger();
        Sweeps.Sweep sweep = sweeps.every(Duration.ofMillis(5), () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("the first sweep fails");
            }
        });

        sweep.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
        sweep.stop();
    }

    @Test
    void aStoppedSweepRunsNoMoreAndCanBeStartedAgain() {
        AtomicInteger runs = new AtomicInteger();
        Sweeps.Sweep sweep = sweeps.every(Duration.ofMillis(5), runs::incrementAndGet);
        sweep.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 2);

        sweep.stop();
        assertThat(sweep.isRunning()).isFalse();
        int afterStop = runs.get();
        // Time for several periods: a sweep still scheduled would have run in it.
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> runs.get() <= afterStop + 1);

        sweep.start();
        assertThat(sweep.isRunning()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= afterStop + 3);
        sweep.stop();
    }

    @Test
    void twoSweepsShareOneThread() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Sweeps.Sweep one = sweeps.every(Duration.ofMillis(5), () -> threads.add(Thread.currentThread().getName()));
        Sweeps.Sweep two = sweeps.every(Duration.ofMillis(7), () -> threads.add(Thread.currentThread().getName()));
        AtomicInteger seen = new AtomicInteger();
        Sweeps.Sweep counter = sweeps.every(Duration.ofMillis(5), seen::incrementAndGet);
        one.start();
        two.start();
        counter.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.get() >= 5);

        assertThat(threads).containsExactly("doorcast-sweeps");
        one.stop();
        two.stop();
        counter.stop();
    }
}
