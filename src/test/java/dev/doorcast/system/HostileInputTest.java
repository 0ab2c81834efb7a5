package dev.doorcast.system;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Whatever arrives on the wire, the answer is a 4xx JSON problem, never a 500 or a stack trace. */
@LiveServerTest
class HostileInputTest {

    private static final String[] CONTENT_TYPES = {
            "multipart/form-data; boundary=xyz", "multipart/form-data", "multipart/form-data; boundary=",
            "multipart/form-data; boundary=\"unterminated", "application/octet-stream", "image/jpeg",
            "application/json", "text/plain; charset=utf-16", "", "\u0001\u0002garbage", "multipart/mixed; boundary=a"};
    private static final String[] PATHS = {
            "/api/v1/devices/doorbell/camera-stream", "/api/v1/devices/doorbell/mic-stream"};

    @LocalServerPort
    int port;

    @Test
    void unknownPathsAndMethodsAreJsonProblems() {
        Doorbell client = new Doorbell(port);
        HttpResponse<byte[]> missing = client.get("/api/v1/nothing-here");
        HttpResponse<byte[]> wrongMethod = client.get("/api/v1/devices/doorbell/camera-stream");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(new String(missing.body())).contains("\"success\":false").contains("\"status\":404");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(new String(wrongMethod.body())).contains("\"success\":false");
        assertThat(wrongMethod.headers().firstValue("content-type")).hasValue("application/problem+json");
    }

    @Test
    void randomBodiesAndHeadersNeverCauseA500() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        long framesBefore = doorbell.stats().path("framesReceived").asLong();
        long chunksBefore = doorbell.stats().path("audioChunksReceived").asLong();
        Random random = new Random(20261125);
        int stored = 0;
        for (int i = 0; i < 300; i++) {
            byte[] body = new byte[random.nextInt(4096)];
            random.nextBytes(body);
            if (random.nextInt(4) == 0) {
                // Half-plausible multipart around random bytes exercises the part parser's edge cases.
                body = ("--xyz\r\nContent-Disposition: form-data; name=\"" + (random.nextBoolean() ? "frame" : "x")
                        + "\"; filename=\"a\"\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1)
                        + (random.nextBoolean() ? "\r\n--xyz--\r\n" : "")).getBytes(StandardCharsets.ISO_8859_1);
            }
            String sequence = random.nextBoolean() ? Integer.toString(random.nextInt()) : randomAscii(random, 12);
            String request = "POST " + PATHS[random.nextInt(PATHS.length)] + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + Doorbell.TOKEN + "\r\n"
                    + "Content-Type: " + CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)] + "\r\n"
                    + "X-Sequence: " + sequence + "\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "Connection: close\r\n\r\n";
            String response = exchange(request.getBytes(StandardCharsets.ISO_8859_1), body);
            int status = Integer.parseInt(response.substring(9, 12));
            assertThat(status).as("request %d answered %s", i, response).isLessThan(500);
            assertThat(response).doesNotContain("Exception").doesNotContain("\tat ");
            if (status == 200) {
                stored++;
            }
        }
        // Random even-length octet streams are valid PCM; everything else must have left no trace.
        assertThat(doorbell.stats().path("framesReceived").asLong()).isEqualTo(framesBefore);
        assertThat(doorbell.stats().path("audioChunksReceived").asLong() - chunksBefore).isLessThanOrEqualTo(stored);
        assertThat(doorbell.postFrame(TestMedia.jpeg(7)).statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void malformedRequestLinesAndHeadersAreRefusedCleanly() throws Exception {
        String[] raw = {
                "GARBAGE\r\n\r\n",
                "GET /api/v1/stream/stats HTTP/9.9\r\nHost: x\r\n\r\n",
                "GET /api/v1/stream/camera?fps=%%% HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /api/v1/devices/doorbell/mic-stream HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                "POST /api/v1/devices/doorbell/mic-stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n\r\n",
                "GET /api/v1/stream/stats HTTP/1.1\r\nHost: x\r\nX-Huge: " + "a".repeat(20_000) + "\r\n\r\n",
        };
        for (String request : raw) {
            String response = exchange(request.getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
            // 4xx, or 505 for an HTTP version the server does not speak; JSON either way.
            assertThat(response).as(request.lines().findFirst().orElseThrow())
                    .matches("(?s)HTTP/1\\.1 (4\\d\\d|505) .*")
                    .contains("\"success\":false")
                    .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("<html");
        }
    }

    @Test
    void bodiesSentToPathsThatTakeNoneAreAnsweredBeforeTheyArrive() throws Exception {
        // Read whole by a form filter (PUT), or parsed as a multipart form for any path (POST): both before
        // anyone had looked at the request. Only the head is sent here; the answer must not wait for more.
        String[] heads = {
                "PUT /anything HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 419430400\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
                        + "Content-Length: 2000000\r\n\r\n--xyz\r\n",
        };
        for (String head : heads) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                // Shorter than Tomcat's 5 s read timeout, after which a wait for the body would end too.
                socket.setSoTimeout(3_000);
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                byte[] statusLine = socket.getInputStream().readNBytes(12);

                assertThat(new String(statusLine, StandardCharsets.US_ASCII)).as(head.lines().findFirst().orElseThrow())
                        .matches("HTTP/1\\.1 4\\d\\d");
            }
        }
    }

    @Test
    void viewerThatVanishesWithAResetIsForgottenWithinSeconds() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(30));
        await().until(() -> doorbell.stats().path("videoClientsConnected").asInt() == 0);
        MjpegReader vanishing = MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(5));
        MjpegReader staying = MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(5));
        await().until(() -> doorbell.stats().path("videoClientsConnected").asInt() == 2);

        vanishing.reset();
        byte[] next = TestMedia.jpeg(31);
        doorbell.postFrame(next);

        staying.readOpeningBoundary();
        MjpegReader.Part part;
        do {
            part = staying.nextPart();
        } while (!Arrays.equals(part.body(), next));
        await().atMost(Duration.ofSeconds(5)).until(
                () -> doorbell.stats().path("videoClientsConnected").asInt() == 1);
        staying.close();
    }

    private String exchange(byte[] head, byte[] body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String randomAscii(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append((char) (33 + random.nextInt(94)));
        }
        return text.toString();
    }
}
