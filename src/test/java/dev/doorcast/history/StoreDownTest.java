package dev.doorcast.history;

import java.time.Duration;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.PostgresServer;
import dev.doorcast.testing.SseReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL goes away: rings still reach the events stream at once, the failed write is counted, the
 * store health component says DOWN while liveness and readiness stay UP; once it is back, rings are written
 * again and the component says UP.
 */
class StoreDownTest {

    static final String OWNER = "owner-viewer-token-0123";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static PostgresServer postgres;
    static ConfigurableApplicationContext server;

    @BeforeAll
    static void start() throws Exception {
        postgres = new PostgresServer().start();
        server = Instances.start("--spring.datasource.url=" + postgres.url(),
                "--doorcast.security.viewer-token=" + OWNER);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        postgres.close();
    }

    private static String store(Doorbell doorbell) {
        JsonNode health = JSON.readTree(doorbell.get("/actuator/health", OWNER).body());
        return health.path("components").path("store").path("status").asString();
    }

    @Test
    void ringsReachTheEventsStreamWhileTheStoreIsDownAndTheFailureShows() throws Exception {
        Doorbell doorbell = Instances.doorbell(server);
        doorbell.postFrame(TestMedia.jpeg(1501));
        assertThat(store(doorbell)).isEqualTo("UP");
        double failedBefore = Instances.counter(doorbell, OWNER, "doorcast_rings_store_failures_total", "write");

        postgres.stop();
        try (SseReader events = SseReader.open(Instances.port(server), "/api/v1/stream/events",
                Duration.ofSeconds(8), "Authorization: Bearer " + OWNER)) {
            events.nextEvent();
            long sent = System.nanoTime();
            long ringId = Doorbell.ringId(doorbell.ring());
            SseReader.Event ring = events.next("ring");
            assertThat(ring.json().path("ringId").asLong()).isEqualTo(ringId);
            assertThat(Duration.ofNanos(ring.arrivedNanos() - sent)).isLessThan(Duration.ofSeconds(1));

            await().atMost(Duration.ofSeconds(20)).until(() -> Instances.counter(doorbell, OWNER,
                    "doorcast_rings_store_failures_total", "write") > failedBefore);
            assertThat(store(doorbell)).isEqualTo("DOWN");
            assertThat(doorbell.get("/actuator/health").statusCode()).as("the overall status").isEqualTo(503);
            assertThat(doorbell.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(doorbell.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
            // The list still has it, from memory.
            assertThat(Instances.ringIds(doorbell, OWNER)).contains(ringId);
        }

        postgres.start();
        double storedBefore = Instances.stored(doorbell, OWNER);
        doorbell.ring();
        await().atMost(Duration.ofSeconds(20)).until(() -> Instances.stored(doorbell, OWNER) > storedBefore);
        assertThat(store(doorbell)).isEqualTo("UP");
    }
}
