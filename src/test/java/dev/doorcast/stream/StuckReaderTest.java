package dev.doorcast.stream;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Viewers that connect and never read a byte, on raw sockets with a small receive window: what the server's
 * kernel holds for them, and whether they are found out with no frame at all. A 1 s connection timeout and
 * a 50 ms keep-alive, so that both happen within the test's patience.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.devices.back.token=" + StuckReaderTest.BACK,
        "doorcast.limits.max-device-fps=1000",
        "server.tomcat.connection-timeout=1s",
        "doorcast.stream.keep-alive=50ms",
})
class StuckReaderTest {

    static final String BACK = "back-door-device-token-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void aViewerDroppedAsStalledIsResetAndTheKernelLetsGoOfItsQueueAtOnce() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpegOfSize(200_000));
        long stalledBefore = stats("doorbell").path("viewersStalled").asLong();
        try (Socket frozen = stuckReader("/api/v1/stream/camera")) {
            // The keep-alive sends the 200 KB frame again and again; the socket fills, the write stops.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> stats("doorbell").path("viewersStalled").asLong() == stalledBefore + 1);

            int viewer = frozen.getLocalPort();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sendQueue(port, viewer))
                    .as("what the server's kernel still holds for the dropped viewer")
                    .satisfiesAnyOf(queue -> assertThat(queue).isEmpty(), queue -> assertThat(queue).hasValue(0)));
            frozen.setSoTimeout(10_000);
            InputStream in = frozen.getInputStream();
            assertThatExceptionOfType(SocketException.class).as("the viewer is told with a reset")
                    .isThrownBy(() -> drain(in)).withMessageContaining("reset");
        }
    }

    @Test
    void viewersThatNeverReadAreDroppedFromADoorbellThatNeverSent() throws Exception {
        long stalledBefore = stats("back").path("viewersStalled").asLong();
        try (Socket camera = stuckReader("/api/v1/stream/camera?device=back");
                Socket events = stuckReader("/api/v1/stream/events?device=back")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stats("back").path("videoClientsConnected").asInt() == 1);

            // Only keep-alives: the camera's preamble lines, the events' comments.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> stats("back").path("viewersStalled").asLong() == stalledBefore + 2);
            assertThat(stats("back").path("videoClientsConnected").asInt()).isZero();
            assertThat(stats("back").path("framesReceived").asLong()).isZero();
        }
    }

    /** A client that sends its GET and never reads; its small receive window fills after a few KB. */
    private Socket stuckReader(String path) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private JsonNode stats(String device) {
        return JSON.readTree(new Doorbell(port).get("/api/v1/stream/stats?device=" + device).body()).path("stats");
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (in.read(buffer) != -1) {
            // What the kernel still had for this socket: after an orderly close, all of it, then the end.
        }
    }

    /**
     * The server side's send queue (bytes sent but not yet acknowledged, or not sent) of the connection from
     * {@code serverPort} to {@code clientPort}, from the kernel's table; empty when there is no such socket.
     */
    private static OptionalLong sendQueue(int serverPort, int clientPort) throws IOException {
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file).stream().skip(1).toList()) {
                String[] fields = line.strip().split("\\s+");
                if (port(fields[1]) == serverPort && port(fields[2]) == clientPort) {
                    return OptionalLong.of(Long.parseLong(fields[4].split(":")[0], 16));
                }
            }
        }
        return OptionalLong.empty();
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }
}
