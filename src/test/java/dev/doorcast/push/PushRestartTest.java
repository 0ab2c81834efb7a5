package dev.doorcast.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import dev.doorcast.DoorcastApplication;
import dev.doorcast.testing.Doorbell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With the store in a file, a subscription and the VAPID key outlive the server: a ring after a restart still reaches the phone. */
class PushRestartTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();

    private ConfigurableApplicationContext start(FakePushService service) {
        return new SpringApplicationBuilder(DoorcastApplication.class).run("--server.port=0",
                "--doorcast.demo.enabled=false", "--doorcast.security.device-token=" + Doorbell.TOKEN,
                // The embedded store's own default, in a folder of the test's: the file, not memory.
                "--spring.datasource.url=jdbc:h2:file:" + data.toAbsolutePath() + "/doorcast",
                "--doorcast.push.allowed-endpoints=" + service.base());
    }

    private static int port(ConfigurableApplicationContext server) {
        return server.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    private String key(int port) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/push/key")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body()).path("publicKey").asString();
    }

    @Test
    void subscriptionsAndTheKeyOutliveARestart() throws Exception {
        try (FakePushService service = new FakePushService()) {
            Subscriber phone = Subscriber.at(service.base() + "push/phone");
            String key;
            try (ConfigurableApplicationContext first = start(service)) {
                int port = port(first);
                key = key(port);
                HttpResponse<String> subscribed = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/v1/push/subscriptions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(phone.json())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
            }

            try (ConfigurableApplicationContext second = start(service)) {
                int port = port(second);
                assertThat(key(port)).as("the same key: the browser's subscription was made with it").isEqualTo(key);
                HttpResponse<String> ring = new Doorbell(port).ring();
                assertThat(ring.statusCode()).isEqualTo(200);

                await().atMost(Duration.ofSeconds(20)).until(() -> !service.receivedAt("/push/phone").isEmpty());
                FakePushService.Received push = service.receivedAt("/push/phone").getFirst();
                assertThat(phone.open(push.body()).path("ringId").asLong()).isEqualTo(Doorbell.ringId(ring));
                assertThat(push.header("Authorization")).endsWith(", k=" + key);
            }
        }
    }
}
