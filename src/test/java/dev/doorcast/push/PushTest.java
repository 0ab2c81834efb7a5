package dev.doorcast.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Web Push over real HTTP: a subscription made as a browser makes it, a ring posted by the test doorbell, and
 * a push service that is a real HTTP server here, which decrypts what it gets with the subscriber's keys.
 */
@LiveServerTest
class PushTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final FakePushService SERVICE = new FakePushService();
    /** Long enough that a push which holds a ring's answer would show as a ring that never answers. */
    private static final Duration RING_ANSWER = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void pushServiceHere(DynamicPropertyRegistry registry) {
        registry.add("doorcast.push.allowed-endpoints", () -> "https://fcm.googleapis.com/," + SERVICE.base());
        registry.add("doorcast.push.subject", () -> "mailto:doorcast@example.com");
        // A held push holds its sender until the test releases it, rather than giving up on it.
        registry.add("doorcast.push.timeout", () -> "1h");
    }

    @AfterAll
    static void stopService() {
        SERVICE.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    PushStore store;

    @Autowired
    PushSender sender;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(RING_ANSWER).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> subscribe(String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/push/subscriptions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Subscribes {@code subscriber}; returns the id. */
    private String subscribed(Subscriber subscriber) throws Exception {
        HttpResponse<String> answer = subscribe(subscriber.json());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return JSON.readTree(answer.body()).path("id").asString();
    }

    private void unsubscribe(String id) throws Exception {
        send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/push/subscriptions/" + id))
                .DELETE());
    }

    /** Rings over real HTTP, as the doorbell does; returns the ring's id. */
    private long ring() {
        Doorbell doorbell = new Doorbell(port, java.net.InetAddress.getLoopbackAddress(), RING_ANSWER);
        HttpResponse<String> ring = doorbell.ring();
        assertThat(ring.statusCode()).isEqualTo(200);
        return Doorbell.ringId(ring);
    }

    private static String path(String name) {
        return "/push/" + name;
    }

    private List<FakePushService.Received> awaitPushes(String name, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> SERVICE.receivedAt(path(name)).size() >= count);
        return SERVICE.receivedAt(path(name));
    }

    @Test
    void aRingReachesTheSubscriberEncryptedAndSignedForItsPushService() throws Exception {
        new Doorbell(port).postFrame(TestMedia.jpeg(700));
        Subscriber phone = Subscriber.at(SERVICE.base() + "push/phone");
        String id = subscribed(phone);
        try {
            long ringId = ring();

            FakePushService.Received push = awaitPushes("phone", 1).getFirst();
            assertThat(push.header("TTL")).isEqualTo("60");
            assertThat(push.header("Urgency")).isEqualTo("high");
            assertThat(push.header("Content-Encoding")).isEqualTo("aes128gcm");
            JsonNode message = phone.open(push.body());
            assertThat(message.path("type").asString()).isEqualTo("ring");
            assertThat(message.path("device").asString()).isEqualTo("doorbell");
            assertThat(message.path("ringId").asLong()).isEqualTo(ringId);
            assertThat(message.path("time").asLong()).isPositive();

            String key = JSON.readTree(send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/push/key")).GET()).body()).path("publicKey").asString();
            assertThat(Base64.getUrlDecoder().decode(key)).hasSize(65).startsWith(4);
            String authorization = push.header("Authorization");
            assertThat(authorization).startsWith("vapid t=").endsWith(", k=" + key);
            String jwt = authorization.substring("vapid t=".length(), authorization.indexOf(", k="));
            String[] parts = jwt.split("\\.");
            assertThat(parts).hasSize(3);
            assertThat(JSON.readTree(Base64.getUrlDecoder().decode(parts[0])).path("alg").asString()).isEqualTo("ES256");
            Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
            es256.initVerify(publicKey(Base64.getUrlDecoder().decode(key), (ECPublicKey) phone.keys().getPublic()));
            es256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            assertThat(es256.verify(Base64.getUrlDecoder().decode(parts[2]))).as("the JWT verifies with the key").isTrue();
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            assertThat(claims.path("aud").asString()).isEqualTo(SERVICE.base().replaceAll("/$", ""));
            assertThat(claims.path("sub").asString()).isEqualTo("mailto:doorcast@example.com");
            long now = System.currentTimeMillis() / 1000;
            assertThat(claims.path("exp").asLong()).isGreaterThan(now).isLessThanOrEqualTo(now + 24 * 3600);

            await().atMost(Duration.ofSeconds(5)).until(() -> sender.count(PushSender.Outcome.SENT) > 0);
            assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .GET()).body()).containsPattern("doorcast_pushes_total\\{outcome=\"sent\"} [1-9]");
        } finally {
            unsubscribe(id);
        }
    }

    @Test
    void anEndpointOutsideTheAllowedPushServicesIsRefusedAndNothingKept() throws Exception {
        long before = store.count();
        for (String endpoint : List.of("https://evil.example/push", "https://fcm.googleapis.com.evil.example/x",
                "https://fcm.googleapis.com@evil.example/x", "http://fcm.googleapis.com/x",
                "http://169.254.169.254/latest/meta-data", SERVICE.base().replace("127.0.0.1", "localhost") + "x")) {
            HttpResponse<String> answer = subscribe(Subscriber.at(endpoint).json());

            assertThat(answer.statusCode()).as(endpoint).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(answer.body()).contains("The push subscription is not valid: the endpoint");
        }
        assertThat(store.count()).isEqualTo(before);
    }

    @Test
    void aSubscriptionWithABadKeyIsRefusedAndNothingKept() throws Exception {
        long before = store.count();
        JsonNode good = JSON.readTree(Subscriber.at(SERVICE.base() + "push/bad").json());
        byte[] offCurve = Base64.getUrlDecoder().decode(good.path("keys").path("p256dh").asString());
        offCurve[64] ^= 1;
        for (String body : List.of(
                good.toString().replace(good.path("keys").path("p256dh").asString(), Subscriber.base64Url(offCurve)),
                good.toString().replace(good.path("keys").path("auth").asString(), Subscriber.base64Url(new byte[8])),
                good.toString().replace(good.path("keys").path("auth").asString(), "not base64!"),
                "{\"endpoint\":\"" + SERVICE.base() + "push/bad\"}", "[]", "{", "")) {
            HttpResponse<String> answer = subscribe(body);

            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).path("success").asBoolean(true)).isFalse();
        }
        HttpResponse<String> huge = subscribe(good.toString().replace("\"expirationTime\":null",
                "\"expirationTime\":null,\"padding\":\"" + "x".repeat(5000) + "\""));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(store.count()).isEqualTo(before);
    }

    @Test
    void aGoneSubscriptionIsForgottenAndGetsNoMorePushes() throws Exception {
        SERVICE.script(path("gone"), new FakePushService.Answer(410, null));
        String gone = subscribed(Subscriber.at(SERVICE.base() + "push/gone"));
        Subscriber other = Subscriber.at(SERVICE.base() + "push/still-here");
        String stays = subscribed(other);
        long goneBefore = sender.count(PushSender.Outcome.GONE);
        try {
            ring();
            awaitPushes("gone", 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> sender.count(PushSender.Outcome.GONE) > goneBefore);
            assertThat(store.find(gone)).isEmpty();

            long second = ring();

            await().atMost(Duration.ofSeconds(20)).until(() -> SERVICE.receivedAt(path("still-here")).stream()
                    .anyMatch(push -> other.open(push.body()).path("ringId").asLong() == second));
            assertThat(SERVICE.receivedAt(path("gone"))).as("nothing after the 410").hasSize(1);
        } finally {
            unsubscribe(stays);
        }
    }

    @Test
    void aPushServiceThatAsksToWaitIsTriedAgain() throws Exception {
        SERVICE.script(path("busy"), new FakePushService.Answer(429, "1"));
        Subscriber phone = Subscriber.at(SERVICE.base() + "push/busy");
        String id = subscribed(phone);
        long retried = sender.count(PushSender.Outcome.RETRIED);
        try {
            long ringId = ring();

            List<FakePushService.Received> pushes = awaitPushes("busy", 2);
            assertThat(pushes).extracting(push -> phone.open(push.body()).path("ringId").asLong())
                    .containsExactly(ringId, ringId);
            assertThat(sender.count(PushSender.Outcome.RETRIED)).isGreaterThan(retried);
        } finally {
            unsubscribe(id);
        }
    }

    @Test
    void aRedirectFromAPushServiceIsNotFollowed() throws Exception {
        SERVICE.script(path("moved"), new FakePushService.Answer(307, null, SERVICE.base() + "push/elsewhere"));
        String id = subscribed(Subscriber.at(SERVICE.base() + "push/moved"));
        long refused = sender.count(PushSender.Outcome.REFUSED);
        try {
            ring();

            await().atMost(Duration.ofSeconds(20)).until(() -> sender.count(PushSender.Outcome.REFUSED) > refused);
            assertThat(SERVICE.receivedAt(path("moved"))).hasSize(1);
            assertThat(SERVICE.receivedAt(path("elsewhere"))).isEmpty();
        } finally {
            unsubscribe(id);
        }
    }

    @Test
    void aPushServiceThatNeverAnswersDoesNotHoldTheRing() throws Exception {
        SERVICE.hold(path("hangs"));
        String id = subscribed(Subscriber.at(SERVICE.base() + "push/hangs"));
        try {
            ring();
            awaitPushes("hangs", 1);

            // The push is held at the push service, and the doorbell's next ring is answered all the same.
            ring();
        } finally {
            SERVICE.release(path("hangs"));
            unsubscribe(id);
        }
    }

    @Test
    void aRingFromAnotherInstanceIsNotPushedHere() throws Exception {
        Subscriber phone = Subscriber.at(SERVICE.base() + "push/relayed");
        String id = subscribed(phone);
        try {
            streams.rings("doorbell").addRing(System.currentTimeMillis() + 60_000, System.currentTimeMillis());
            long ringId = ring();

            List<FakePushService.Received> pushes = awaitPushes("relayed", 1);
            assertThat(pushes).extracting(push -> phone.open(push.body()).path("ringId").asLong())
                    .containsExactly(ringId);
        } finally {
            unsubscribe(id);
        }
    }

    @Autowired
    dev.doorcast.buffer.DeviceStreams streams;

    /** The test's own reading of a 65-byte point, on the subscriber's curve. */
    private static PublicKey publicKey(byte[] uncompressed, ECPublicKey curve) throws Exception {
        ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, curve.getParams()));
    }
}
