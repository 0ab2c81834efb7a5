package dev.doorcast.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.doorcast.testing.Doorbell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who may subscribe while viewer access is on: a viewer token, for the devices it opens; not an access link,
 * not a stranger; and a subscription is deleted only by the token's holder.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.security.viewer-token=" + PushAccessTest.OWNER,
        "doorcast.devices.front.token=front-device-token-0123456789",
        "doorcast.devices.front.viewer-token=" + PushAccessTest.FRONT,
        "doorcast.push.max-subscriptions-per-credential=2",
})
class PushAccessTest {

    static final String OWNER = "owner-viewer-token-0123456789";
    static final String FRONT = "front-viewer-token-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final FakePushService SERVICE = new FakePushService();

    @DynamicPropertySource
    static void pushServiceHere(DynamicPropertyRegistry registry) {
        registry.add("doorcast.push.allowed-endpoints", SERVICE::base);
    }

    @AfterAll
    static void stopService() {
        SERVICE.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    PushStore store;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> subscribe(String query, String json, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/push/subscriptions" + query))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String id, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/push/subscriptions/" + id))
                .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String link(String token, String device) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/stream/access?device=" + device))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body()).path("access").asString();
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    @Test
    void thePushKeyIsOpenToAll() throws Exception {
        HttpResponse<String> key = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/push/key")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(key.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(key.body()).path("publicKey").asString()).hasSize(87).startsWith("B");
    }

    @Test
    void anAccessLinkOrNoCredentialCannotSubscribe() throws Exception {
        long before = store.count();
        String json = Subscriber.at(SERVICE.base() + "push/link").json();

        HttpResponse<String> byLink = subscribe("?device=front&access=" + link(FRONT, "front"), json);
        HttpResponse<String> byOwnersLink = subscribe("?access=" + link(OWNER, "doorbell"), json);
        HttpResponse<String> byNobody = subscribe("", json);

        assertThat(byLink.statusCode()).as(byLink.body()).isEqualTo(403);
        assertThat(byOwnersLink.statusCode()).as(byOwnersLink.body()).isEqualTo(403);
        assertThat(byNobody.statusCode()).isEqualTo(401);
        assertThat(store.count()).isEqualTo(before);
    }

    @Test
    void aHouseholdIsToldOfItsOwnDoorbellOnly() throws Exception {
        Subscriber phone = Subscriber.at(SERVICE.base() + "push/household");
        HttpResponse<String> other = subscribe("?device=doorbell", phone.json(), "Authorization", bearer(FRONT));
        assertThat(other.statusCode()).as("front's token does not open the doorbell").isEqualTo(403);
        HttpResponse<String> subscribed = subscribe("", phone.json(), "Authorization", bearer(FRONT));
        assertThat(subscribed.statusCode()).isEqualTo(201);
        String id = JSON.readTree(subscribed.body()).path("id").asString();

        Doorbell doorbell = new Doorbell(port);
        long notTheirs = Doorbell.ringId(doorbell.ring());
        HttpResponse<String> front = doorbell.ring("", "front-device-token-0123456789");
        assertThat(front.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> !SERVICE.receivedAt("/push/household").isEmpty());
        assertThat(SERVICE.receivedAt("/push/household")).singleElement().satisfies(push -> {
            assertThat(phone.open(push.body()).path("device").asString()).isEqualTo("front");
            assertThat(phone.open(push.body()).path("ringId").asLong()).isEqualTo(Doorbell.ringId(front))
                    .isNotEqualTo(notTheirs);
        });

        assertThat(delete(id, OWNER).statusCode()).as("the owner did not make it").isEqualTo(404);
        assertThat(delete(id, FRONT).statusCode()).isEqualTo(204);
        assertThat(delete(id, FRONT).statusCode()).isEqualTo(404);
    }

    @Test
    void aCredentialHoldsOnlySoManySubscriptions() throws Exception {
        for (int i = 0; i < 2; i++) {
            assertThat(subscribe("", Subscriber.at(SERVICE.base() + "push/many" + i).json(), "Authorization",
                    bearer(OWNER)).statusCode()).isEqualTo(201);
        }
        long before = store.count();

        HttpResponse<String> third = subscribe("", Subscriber.at(SERVICE.base() + "push/many2").json(),
                "Authorization", bearer(OWNER));

        assertThat(third.statusCode()).isEqualTo(409);
        assertThat(third.body()).contains("max-subscriptions-per-credential");
        assertThat(store.count()).isEqualTo(before);
    }
}
