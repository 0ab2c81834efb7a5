package dev.doorcast.ingest;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitTest {

    private final AtomicLong now = new AtomicLong(0);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

    @Test
    void allowsABurstOfOneSecondThenTheSustainedRate() {
        RateLimit limit = new RateLimit(5, clock);

        for (int i = 0; i < 5; i++) {
            assertThat(limit.take(1)).isZero();
        }
        assertThat(limit.take(1)).as("sixth in the same instant").isEqualTo(1);
        now.addAndGet(200);
        assertThat(limit.take(1)).as("one more after 1/5 s").isZero();
        assertThat(limit.take(1)).isEqualTo(1);
    }

    @Test
    void refillsNoFurtherThanOneSecondsWorth() {
        RateLimit limit = new RateLimit(10, clock);
        now.addAndGet(60_000);

        int taken = 0;
        while (limit.take(1) == 0) {
            taken++;
        }
        assertThat(taken).isEqualTo(10);
    }

    @Test
    void saysHowLongToWaitForLargeRequests() {
        RateLimit limit = new RateLimit(1000, clock);
        limit.take(1000);

        assertThat(limit.take(3000)).as("more than a burst: wait for a full bucket").isEqualTo(1);
        assertThat(limit.take(500)).isEqualTo(1);
    }

    @Test
    void aSmallBurstThenOneASecond() {
        RateLimit rings = new RateLimit(1, 5, clock);

        for (int i = 0; i < 5; i++) {
            assertThat(rings.take(1)).as("press %d", i + 1).isZero();
        }
        assertThat(rings.take(1)).as("the sixth at once").isEqualTo(1);
        now.addAndGet(1000);
        assertThat(rings.take(1)).isZero();
        assertThat(rings.take(1)).isEqualTo(1);
        now.addAndGet(60_000);
        for (int i = 0; i < 5; i++) {
            assertThat(rings.take(1)).as("a minute later, a full burst again").isZero();
        }
    }
}
