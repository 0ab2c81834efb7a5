package dev.doorcast.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A full push queue drops what comes and counts it; the doorbell's rings are answered all the same. */
@LiveServerTest
class PushQueueTest {

    private static final FakePushService SERVICE = new FakePushService();

    @DynamicPropertySource
    static void oneSenderAndARoomForOne(DynamicPropertyRegistry registry) {
        registry.add("doorcast.push.allowed-endpoints", SERVICE::base);
        registry.add("doorcast.push.queue", () -> "1");
        registry.add("doorcast.push.senders", () -> "1");
        registry.add("doorcast.push.timeout", () -> "1h");
    }

    @AfterAll
    static void stopService() {
        SERVICE.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    PushSender sender;

    @Test
    void ringsPastAFullQueueAreDroppedAndCounted() throws Exception {
        SERVICE.hold("/push/slow");
        HttpResponse<String> subscribed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/push/subscriptions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Subscriber.at(SERVICE.base() + "push/slow").json())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(subscribed.statusCode()).isEqualTo(201);
        Doorbell doorbell = new Doorbell(port, java.net.InetAddress.getLoopbackAddress(), Duration.ofSeconds(30));
        try {
            assertThat(doorbell.ring().statusCode()).isEqualTo(200);
            // The one sender is held at the push service; the queue's one place then takes the next ring.
            await().atMost(Duration.ofSeconds(20)).until(() -> SERVICE.receivedAt("/push/slow").size() == 1);
            long dropped = sender.count(PushSender.Outcome.DROPPED);

            assertThat(doorbell.ring().statusCode()).isEqualTo(200);
            assertThat(doorbell.ring().statusCode()).isEqualTo(200);

            assertThat(sender.count(PushSender.Outcome.DROPPED)).isEqualTo(dropped + 1);
        } finally {
            SERVICE.release("/push/slow");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> SERVICE.receivedAt("/push/slow").size() == 2);
    }
}
