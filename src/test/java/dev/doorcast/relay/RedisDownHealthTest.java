package dev.doorcast.relay;

import java.io.IOException;
import java.net.http.HttpResponse;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.Processes;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** An instance whose Redis is not there: the overall health is DOWN with 503, and it goes on serving. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.relay.type=redis",
        "doorcast.relay.secret=" + RedisRelayTest.SECRET,
})
class RedisDownHealthTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void redisWhereNothingListens(DynamicPropertyRegistry registry) throws IOException {
        int nothing = Processes.freePort();
        registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + nothing);
    }

    @Test
    void healthIsDownWith503WhileLivenessAndReadinessStay200AndTheDoorbellIsServed() {
        Doorbell doorbell = new Doorbell(port);

        HttpResponse<byte[]> health = doorbell.get("/actuator/health");
        assertThat(health.statusCode()).as("DOWN is 503, as docs/operations.md says").isEqualTo(503);
        assertThat(new String(health.body())).contains("\"status\":\"DOWN\"");
        HttpResponse<byte[]> liveness = doorbell.get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(new String(liveness.body())).contains("\"status\":\"UP\"");
        assertThat(doorbell.get("/actuator/health/readiness").statusCode()).isEqualTo(200);

        byte[] frame = TestMedia.jpeg(31);
        assertThat(doorbell.postFrame(frame).statusCode()).isEqualTo(200);
        assertThat(doorbell.get("/api/v1/stream/camera/snapshot").body()).isEqualTo(frame);
    }
}
