package dev.doorcast.history;

import java.nio.file.Path;
import java.time.Duration;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.PostgresServer;
import dev.doorcast.testing.RedisServer;
import dev.doorcast.testing.SseReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Instances that share one PostgreSQL server (and the Redis relay): a ring is written once, by the instance
 * the doorbell rang, and any instance, one started later included, lists it and serves its picture and
 * clip from the store.
 */
class RingsInPostgresTest {

    static final String SECRET = "store-test-secret-shared-by-every-instance";

    @TempDir
    static Path dir;

    static PostgresServer postgres;
    static RedisServer redis;

    @BeforeAll
    static void startPostgresAndRedis() throws Exception {
        postgres = new PostgresServer().start();
        redis = new RedisServer(dir).start();
    }

    @AfterAll
    static void stopThem() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static ConfigurableApplicationContext instance() {
        return Instances.start("--spring.datasource.url=" + postgres.url(), "--doorcast.relay.type=redis",
                "--spring.data.redis.url=" + redis.url(), "--doorcast.relay.secret=" + SECRET);
    }

    private static String relay(Doorbell instance) {
        return tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(instance.get("/api/v1/stream/stats").body()).path("relay").asString();
    }

    @Test
    void aRingIsWrittenOnceByItsInstanceServedByAnotherAndDeletedEverywhere() throws Exception {
        byte[] who = TestMedia.jpeg(1401);
        long ringId;
        try (ConfigurableApplicationContext a = instance(); ConfigurableApplicationContext b = instance()) {
            Doorbell onA = Instances.doorbell(a);
            Doorbell onB = Instances.doorbell(b);
            await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(relay(onA)) && "UP".equals(relay(onB)));
            try (SseReader events = SseReader.open(Instances.port(b), "/api/v1/stream/events",
                    Duration.ofSeconds(8))) {
                events.nextEvent();
                onA.postFrame(who);
                ringId = Doorbell.ringId(onA.ring());
                assertThat(events.next("ring").json().path("ringId").asLong()).isEqualTo(ringId);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Instances.stored(onA, null) >= 1);
            // B heard of the ring (and listed it from memory) but it was A's to write.
            assertThat(Instances.ringIds(onB, null)).contains(ringId);
            assertThat(Instances.stored(onB, null)).as("written by the instance it was taken on only").isZero();
            assertThat(Instances.counter(onB, null, "doorcast_rings_store_failures_total", "write")).isZero();

            // Deleted on B: gone from the store, from B's memory, and through the relay from A's.
            onA.postFrame(TestMedia.jpeg(1402));
            long deleted = Doorbell.ringId(onA.ring());
            await().atMost(Duration.ofSeconds(10)).until(() -> Instances.ringIds(onB, null).contains(deleted));
            assertThat(onB.delete("/api/v1/stream/rings/" + deleted, null).statusCode()).isEqualTo(204);
            assertThat(Instances.ringIds(onB, null)).doesNotContain(deleted);
            await().atMost(Duration.ofSeconds(10)).until(() -> !Instances.ringIds(onA, null).contains(deleted));
            assertThat(onA.get("/api/v1/stream/rings/" + deleted + "/snapshot").statusCode()).isEqualTo(404);
        }

        // Started after the ring, with nothing in memory: the store is all it has.
        try (ConfigurableApplicationContext c = instance()) {
            Doorbell onC = Instances.doorbell(c);
            JsonNode ring = Instances.rings(onC, null).get(0);
            assertThat(ring.path("ringId").asLong()).isEqualTo(ringId);
            assertThat(onC.get(ring.path("snapshot").asString()).body()).isEqualTo(who);
            var clip = onC.get(ring.path("clip").asString());
            assertThat(clip.statusCode()).isEqualTo(200);
            assertThat(clip.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("multipart/x-mixed-replace"));
            assertThat(TestMedia.indexOf(clip.body(), who)).as("the picture is in the clip").isPositive();
        }
    }
}
