package dev.doorcast.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import dev.doorcast.DoorcastApplication;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances with the Redis relay and one store: every ring reaches both instances, and the phone is
 * pushed once per ring, by the instance the doorbell rang on.
 */
class PushRelayTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET = "push-relay-test-secret-0123456789";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext instance(RedisServer redis, String store, FakePushService service) {
        return new SpringApplicationBuilder(DoorcastApplication.class).run("--server.port=0",
                "--doorcast.demo.enabled=false", "--doorcast.security.device-token=" + Doorbell.TOKEN,
                "--doorcast.relay.type=redis", "--doorcast.relay.secret=" + SECRET,
                "--spring.data.redis.url=" + redis.url(), "--spring.datasource.url=" + store,
                "--doorcast.push.allowed-endpoints=" + service.base(),
                // One sender: an instance's pushes go out in the order its rings came, so a wrong push of a
                // relayed ring would arrive before the push of the instance's own next ring.
                "--doorcast.push.senders=1");
    }

    private static int port(ConfigurableApplicationContext server) {
        return server.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    private static boolean keeps(Doorbell instance, long ringId) {
        return JSON.readTree(instance.get("/api/v1/stream/rings").body()).path("rings").valueStream()
                .anyMatch(ring -> ring.path("ringId").asLong() == ringId);
    }

    private long ringAndAwaitPush(Doorbell on, Doorbell other, FakePushService service, Subscriber phone, int pushes) {
        HttpResponse<String> ring = on.ring();
        assertThat(ring.statusCode()).isEqualTo(200);
        long ringId = Doorbell.ringId(ring);
        await().atMost(Duration.ofSeconds(20)).until(() -> service.receivedAt("/push/phone").size() >= pushes);
        assertThat(phone.open(service.receivedAt("/push/phone").getLast().body()).path("ringId").asLong())
                .isEqualTo(ringId);
        await().atMost(Duration.ofSeconds(10)).until(() -> keeps(other, ringId));
        return ringId;
    }

    @Test
    void aRingIsPushedOnceByTheInstanceItWasTakenOn() throws Exception {
        String store = "jdbc:h2:mem:push-relay-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (RedisServer redis = new RedisServer(dir).start(); FakePushService service = new FakePushService();
                ConfigurableApplicationContext a = instance(redis, store, service);
                ConfigurableApplicationContext b = instance(redis, store, service)) {
            Doorbell onA = new Doorbell(port(a));
            Doorbell onB = new Doorbell(port(b));
            Subscriber phone = Subscriber.at(service.base() + "push/phone");
            HttpResponse<String> subscribed = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port(a) + "/api/v1/push/subscriptions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(phone.json())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(subscribed.statusCode()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    new String(onB.get("/api/v1/stream/stats").body()).contains("\"relay\":\"UP\"")
                            && new String(onA.get("/api/v1/stream/stats").body()).contains("\"relay\":\"UP\""));

            // Each ring is kept by both instances before the next; the next push shows what came before it.
            long first = ringAndAwaitPush(onA, onB, service, phone, 1);
            long second = ringAndAwaitPush(onB, onA, service, phone, 2);
            long third = ringAndAwaitPush(onA, onB, service, phone, 3);

            assertThat(service.receivedAt("/push/phone"))
                    .extracting(push -> phone.open(push.body()).path("ringId").asLong())
                    .containsExactly(first, second, third);
        }
    }
}
