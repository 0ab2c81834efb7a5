package dev.doorcast.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.KeptAlive;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server with {@code server.tomcat.max-connections=120}, as small as the attack on it needs: strangers
 * holding idle keep-alive connections (a liveness GET now and then keeps each) must not shut out the owner
 * and the doorbell. On loopback every 127.x.y.z is an address of its own, so each party here has one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.security.viewer-token=" + ConnectionsPerAddressTest.OWNER,
        "server.tomcat.max-connections=120",
        // Long enough that only the cap on heads in progress can be what closes the slow heads here.
        "doorcast.http.request-head-timeout=60s",
})
class ConnectionsPerAddressTest {

    static final String OWNER = "owner-viewer-token-0123";
    private static final Duration PROMPTLY = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    private final List<KeptAlive> held = new ArrayList<>();

    @AfterEach
    void letGo() throws IOException {
        for (KeptAlive connection : held) {
            connection.close();
        }
    }

    @Test
    void oneAddressHoldsAtMostItsShareWhileTheOwnerAndTheDoorbellGetThrough() throws Exception {
        assertThat(doorbell().postFrame(TestMedia.jpeg(1)).statusCode()).isEqualTo(200);

        double closedBefore = closedTotal("address_full");
        int answered = 0;
        int refused = 0;
        InetAddress stranger = address("127.0.0.2");
        for (int i = 0; i < 120; i++) {
            KeptAlive connection = KeptAlive.connect(port, stranger, 10_000);
            held.add(connection);
            // What a proxy's headers say counts for nothing while the server is reached directly.
            String answer = connection.get("/actuator/health/liveness", "Fly-Client-IP: 198.51.100." + i,
                    "X-Forwarded-For: 203.0.113." + i);
            if (answer == null) {
                refused++;
            } else {
                assertThat(answer).startsWith("HTTP/1.1 200");
                answered++;
            }
        }

        assertThat(answered).as("connections one address holds: doorcast.limits.max-connections-per-address")
                .isEqualTo(50);
        assertThat(refused).as("the rest are closed as they are accepted").isEqualTo(70);
        assertThat(closedTotal("address_full") - closedBefore).as("counted for Prometheus").isEqualTo(70);
        HttpResponse<byte[]> snapshot = new Doorbell(port, address("127.0.0.3"), PROMPTLY)
                .get("/api/v1/stream/camera/snapshot", OWNER);
        assertThat(snapshot.statusCode()).as("the owner's snapshot").isEqualTo(200);
        assertThat(doorbell().postFrame(TestMedia.jpeg(2)).statusCode()).as("the doorbell's next frame").isEqualTo(200);
    }

    @Test
    void idleKeepAliveConnectionsGiveWayWhenTheServerNearsItsLimit() throws Exception {
        assertThat(doorbell().postFrame(TestMedia.jpeg(3)).statusCode()).isEqualTo(200);
        double idleBefore = closedTotal("idle");
        try (MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera", PROMPTLY,
                "Authorization: Bearer " + OWNER)) {
            viewer.readOpeningBoundary();
            viewer.nextPart();

            // Four addresses, each within its cap, fill the server's 120 connections between them.
            for (int i = 0; i < 120; i++) {
                KeptAlive connection = KeptAlive.connect(port, address("127.0.1." + (10 + i % 4)), 20_000);
                held.add(connection);
                connection.get("/actuator/health/liveness");
            }

            // A stream is no idle connection: it goes on, and shows the frame sent after the attack.
            byte[] after = TestMedia.jpeg(5);
            assertThat(doorbell().postFrame(after).statusCode()).isEqualTo(200);
            MjpegReader.Part part;
            do {
                part = viewer.nextPart();
            } while (!Arrays.equals(part.body(), after));
        }

        HttpResponse<byte[]> snapshot = new Doorbell(port, address("127.0.0.3"), PROMPTLY)
                .get("/api/v1/stream/camera/snapshot", OWNER);
        assertThat(snapshot.statusCode()).as("the owner's snapshot").isEqualTo(200);
        // On a new connection, as a doorbell sending five frames a second always has one that is not idle.
        assertThat(doorbell().postFrame(TestMedia.jpeg(4)).statusCode()).as("the doorbell's next frame").isEqualTo(200);
        assertThat(closedByServer()).as("idle keep-alive connections the server closed to make room").isPositive();
        assertThat(closedTotal("idle") - idleBefore).as("counted for Prometheus").isPositive();
    }

    @Test
    void oneAddressSendsAtMostAFewRequestHeadsAtOnce() throws Exception {
        double headsBefore = closedTotal("too_many_heads");
        InetAddress slow = address("127.0.0.5");
        for (int i = 0; i < 20; i++) {
            KeptAlive connection = KeptAlive.connect(port, slow, 10_000);
            held.add(connection);
            connection.send("GET /actuator/health/liveness HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + i + "\r\n");
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> closedByServer() == 12);
        assertThat(closedByServer()).as("doorcast.limits.max-heads-per-address is 8; the head timeout is 60 s")
                .isEqualTo(12);
        assertThat(closedTotal("too_many_heads") - headsBefore).as("counted for Prometheus").isEqualTo(12);
        KeptAlive other = KeptAlive.connect(port, address("127.0.0.6"), 10_000);
        held.add(other);
        assertThat(other.get("/actuator/health/liveness")).as("another address").startsWith("HTTP/1.1 200");
    }

    private int closedByServer() throws IOException {
        int closed = 0;
        for (KeptAlive connection : held) {
            closed += connection.closedByServer(1) ? 1 : 0;
        }
        return closed;
    }

    /** {@code doorcast_connections_closed_total} for {@code reason}, as Prometheus scrapes it. */
    private double closedTotal(String reason) {
        String scrape = new String(new Doorbell(port).get("/actuator/prometheus", OWNER).body(), StandardCharsets.UTF_8);
        return scrape.lines().filter(line -> line.startsWith("doorcast_connections_closed_total{")
                        && line.contains("reason=\"" + reason + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no doorcast_connections_closed_total{reason=\""
                        + reason + "\"}"));
    }

    /** The doorbell, from an address of its own. */
    private Doorbell doorbell() {
        return new Doorbell(port, address("127.0.0.4"), PROMPTLY);
    }

    private static InetAddress address(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
