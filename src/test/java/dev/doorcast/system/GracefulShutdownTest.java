package dev.doorcast.system;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.doorcast.DoorcastApplication;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LinkClient;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the server: streams end cleanly at once, a device POST already under way completes, a doorbell on
 * its link hears why.
 */
class GracefulShutdownTest {

    @Test
    void streamsEndAndInFlightPostsCompleteOnShutdown() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DoorcastApplication.class).run(
                "--server.port=0", "--doorcast.demo.enabled=false", "--doorcast.security.device-token=" + Doorbell.TOKEN);
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        new Doorbell(port).postFrame(TestMedia.jpeg(1));
        MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(10));
        viewer.readOpeningBoundary();
        viewer.nextPart();

        byte[] pcm = TestMedia.pcm(0, 2048);
        try (Socket device = new Socket("127.0.0.1", port)) {
            device.setSoTimeout(10_000);
            OutputStream out = device.getOutputStream();
            out.write(("POST /api/v1/devices/doorbell/mic-stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + Doorbell.TOKEN + "\r\nContent-Type: application/octet-stream\r\n"
                    + "X-Sequence: 1\r\nContent-Length: " + pcm.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(pcm, 0, 1024);
            out.flush();
            // Shutdown waits for requests the server is already handling: make sure this one is.
            Doorbell admin = new Doorbell(port);
            await().atMost(Duration.ofSeconds(10)).until(() -> postsInFlight(admin) == 1);

            long start = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
            await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(port));

            out.write(pcm, 1024, 1024);
            out.flush();
            String answer = readAll(device.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"stored\":true");

            assertThat(endsCleanly(viewer)).as("the stream ends with an orderly close, not a timeout").isTrue();
            closing.get(20, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        } finally {
            viewer.close();
            context.close();
        }
    }

    @Test
    void aDoorbellOnItsLinkIsToldTheServerIsGoingAway() throws Exception {
        // What a redeploy does to a doorbell on its link (docs/operations.md, fly.io): the old server closes the
        // link with 1001, and the doorbell reconnects with its backoff to whichever server answers.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DoorcastApplication.class).run(
                "--server.port=0", "--doorcast.demo.enabled=false", "--doorcast.security.device-token=" + Doorbell.TOKEN);
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        try (LinkClient doorbell = LinkClient.open(port, Doorbell.TOKEN)) {
            doorbell.nextText("watching", Duration.ofSeconds(10));
            CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);

            LinkClient.Received goodbye = doorbell.nextClose(Duration.ofSeconds(10));
            assertThat(goodbye.closeCode()).isEqualTo(1001);
            assertThat(goodbye.closeReason()).isEqualTo("the server is going away");
            closing.get(20, TimeUnit.SECONDS);
        } finally {
            context.close();
        }
    }

    /** Requests being handled now, from the server's own long-task timer for HTTP requests. */
    private static long postsInFlight(Doorbell admin) {
        String scrape = new String(admin.get("/actuator/prometheus").body(), StandardCharsets.UTF_8);
        return scrape.lines()
                .filter(line -> line.startsWith("http_server_requests_active_seconds_count{")
                        && line.contains("method=\"POST\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static boolean refusesConnections(int port) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (Exception other) {
            return false;
        }
    }

    /** Reads whatever is left of the stream: true when it ends with an orderly close, not a reset. */
    private static boolean endsCleanly(MjpegReader viewer) {
        try {
            while (true) {
                viewer.nextPart();
            }
        } catch (java.io.IOException e) {
            return "stream ended".equals(e.getMessage());
        }
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            bytes.write(buffer, 0, n);
            if (bytes.toString(StandardCharsets.US_ASCII).contains("}")) {
                break;
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
