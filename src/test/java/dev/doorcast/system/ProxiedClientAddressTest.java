package dev.doorcast.system;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.KeptAlive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Behind fly.io's proxy every connection comes from the proxy (here 127.0.0.7), and the client is the one
 * the proxy names: each connection counts against that client's address, not the proxy's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.limits.client-address=fly-proxy",
        "doorcast.limits.max-connections-per-address=5",
})
class ProxiedClientAddressTest {

    private static final InetAddress PROXY = InetAddress.ofLiteral("127.0.0.7");

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
    void eachClientTheProxyNamesHoldsItsOwnShareOfConnections() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(connect().get("/actuator/health/liveness", "Fly-Client-IP: 203.0.113.7"))
                    .startsWith("HTTP/1.1 200");
        }

        KeptAlive sixth = connect();
        String refused = sixth.get("/actuator/health/liveness", "Fly-Client-IP: 203.0.113.7");
        assertThat(refused).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: 5")
                .contains("application/problem+json", "\"success\":false", "5 connections");
        assertThat(sixth.closedByServer(5000)).as("its connection is closed after the answer").isTrue();
        assertThat(connect().get("/actuator/health/liveness", "Fly-Client-IP: 198.51.100.9"))
                .as("another client through the same proxy").startsWith("HTTP/1.1 200");
        assertThat(connect().get("/actuator/health/liveness", "X-Forwarded-For: 203.0.113.7, 198.51.100.10"))
                .as("the address the proxy added to X-Forwarded-For, the last").startsWith("HTTP/1.1 200");

        held.getFirst().close();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            String answer = connect().get("/actuator/health/liveness", "Fly-Client-IP: 203.0.113.7");
            return answer != null && answer.startsWith("HTTP/1.1 200");
        });
    }

    private KeptAlive connect() throws IOException {
        KeptAlive connection = KeptAlive.connect(port, PROXY, 10_000);
        held.add(connection);
        return connection;
    }
}
