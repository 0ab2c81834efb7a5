package dev.doorcast.history;

import java.time.Duration;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The store forgets rings by age (doorcast.rings.keep-for) and by size (doorcast.rings.max-storage), oldest first. */
class RingRetentionTest {

    private static String snapshot(long ringId) {
        return "/api/v1/stream/rings/" + ringId + "/snapshot";
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "doorcast.demo.enabled=false", "doorcast.security.device-token=" + Doorbell.TOKEN,
            "doorcast.limits.max-device-fps=1000", "doorcast.rings.burst=1000",
            "doorcast.rings.clip-after=200ms",
            "doorcast.rings.keep-for=3s",
    })
    class ByAge {

        @LocalServerPort
        int port;

        @Test
        void aRingOlderThanKeepForIsForgottenInMemoryAndInTheStore() {
            Doorbell doorbell = new Doorbell(port);
            doorbell.postFrame(TestMedia.jpeg(1301));
            long old = Doorbell.ringId(doorbell.ring());
            await().atMost(Duration.ofSeconds(10)).until(() -> Instances.stored(doorbell, null) >= 1);
            assertThat(Instances.ringIds(doorbell, null)).contains(old);

            // The sweep runs every half keep-for: the ring goes between 3 and 4.5 s after it came.
            await().atMost(Duration.ofSeconds(15)).until(() -> !Instances.ringIds(doorbell, null).contains(old));

            assertThat(doorbell.get(snapshot(old)).statusCode()).as("not in the store either").isEqualTo(404);
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "doorcast.demo.enabled=false", "doorcast.security.device-token=" + Doorbell.TOKEN,
            "doorcast.limits.max-device-fps=1000", "doorcast.rings.burst=1000",
            "doorcast.rings.clip-after=200ms",
            // Each ring: its picture and a clip of two frames, 3 x 4 KB; two rings fit, three do not.
            "doorcast.rings.max-clip-frames=2",
            "doorcast.rings.max-storage=30KB",
    })
    class BySize {

        @LocalServerPort
        int port;

        private long ring(Doorbell doorbell, int n) {
            doorbell.postFrame(TestMedia.jpegOfSize(4000 + n));
            long ringId = Doorbell.ringId(doorbell.ring());
            doorbell.postFrame(TestMedia.jpegOfSize(4000 + n + 1));
            return ringId;
        }

        @Test
        void theOldestRingsGoWhenTheStoredOnesPassMaxStorage() {
            Doorbell doorbell = new Doorbell(port);
            long first = ring(doorbell, 10);
            long second = ring(doorbell, 20);
            await().atMost(Duration.ofSeconds(10)).until(() -> Instances.stored(doorbell, null) >= 2);
            assertThat(Instances.ringIds(doorbell, null)).contains(first, second);

            long third = ring(doorbell, 30);
            long fourth = ring(doorbell, 40);
            long fifth = ring(doorbell, 50);

            await().atMost(Duration.ofSeconds(10)).until(() -> Instances.stored(doorbell, null) >= 5);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Instances.ringIds(doorbell, null))
                    .as("the newest that fit in 30 KB, newest first").containsExactly(fifth, fourth));
            for (long gone : new long[] {first, second, third}) {
                assertThat(doorbell.get(snapshot(gone)).statusCode()).isEqualTo(404);
            }
            assertThat(doorbell.get(snapshot(fifth)).statusCode()).isEqualTo(200);
        }
    }
}
