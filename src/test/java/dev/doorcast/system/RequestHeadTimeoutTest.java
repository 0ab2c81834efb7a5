package dev.doorcast.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slow request head of docs/security.md's attack table: a request head must arrive whole within
 * {@code doorcast.http.request-head-timeout} (10 s), though each of its reads is within Tomcat's 5 s
 * connection timeout; streams and the device's idle keep-alive connection are not heads and go on.
 */
@LiveServerTest
class RequestHeadTimeoutTest {

    @LocalServerPort
    int port;

    @Test
    void headSentOneLineEvery3sIsCutAfter10sWhileStreamAndIdleKeepAliveGoOn() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(90));
        try (MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(5));
                Socket device = new Socket("127.0.0.1", port);
                Socket slow = new Socket("127.0.0.1", port)) {
            viewer.readOpeningBoundary();
            viewer.nextPart();
            device.setSoTimeout(5_000);
            assertThat(postAudio(device, 1)).startsWith("HTTP/1.1 200");

            long start = System.nanoTime();
            Duration open = trickleHead(slow, Duration.ofSeconds(3), Duration.ofSeconds(30));
            long idle = System.nanoTime() - start;

            assertThat(open).as("how long the trickled head was let in").isBetween(
                    Duration.ofMillis(9_500), Duration.ofSeconds(15));
            assertThat(Duration.ofNanos(idle)).as("the device's connection has been idle longer than a head may take")
                    .isGreaterThan(Duration.ofSeconds(10));
            assertThat(postAudio(device, 2)).as("the same keep-alive connection, reused").startsWith("HTTP/1.1 200");
            byte[] next = TestMedia.jpeg(91);
            doorbell.postFrame(next);
            MjpegReader.Part part;
            do {
                part = viewer.nextPart();
            } while (!Arrays.equals(part.body(), next));
        }
    }

    /**
     * Sends a request line, then a header line every {@code pace} and never the blank line that ends the head;
     * returns how long the server kept the connection open. Fails if it is still open after {@code limit}.
     */
    private static Duration trickleHead(Socket socket, Duration pace, Duration limit) throws IOException {
        long start = System.nanoTime();
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        socket.setSoTimeout((int) pace.toMillis());
        try {
            out.write(("GET /api/v1/stream/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int line = 0; System.nanoTime() - start < limit.toNanos(); line++) {
                try {
                    // Waiting for an answer that never comes is the pace; an end of stream is the server's close.
                    if (in.read() < 0) {
                        break;
                    }
                    throw new AssertionError("the server answered a head it has not had whole");
                } catch (SocketTimeoutException stillOpen) {
                    out.write(("X-Line-" + line + ": " + line + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
        } catch (IOException reset) {
            // Closed by the server while this was writing.
        }
        Duration open = Duration.ofNanos(System.nanoTime() - start);
        assertThat(open).as("still open").isLessThan(limit);
        return open;
    }

    /** Posts an audio chunk on a kept-alive connection and reads the whole answer; returns it. */
    private static String postAudio(Socket device, long sequence) throws IOException {
        byte[] pcm = TestMedia.pcm((int) sequence, 2048);
        OutputStream out = device.getOutputStream();
        out.write(("POST /api/v1/devices/doorbell/mic-stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + Doorbell.TOKEN + "\r\nContent-Type: application/octet-stream\r\n"
                + "X-Sequence: " + sequence + "\r\nContent-Length: " + pcm.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(pcm);
        out.flush();
        return readResponse(device.getInputStream());
    }

    /** One response, head and body, whether the body has a length or comes chunked. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        while (!response.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + response);
            }
            response.write(b);
        }
        String head = response.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (head.contains("transfer-encoding: chunked")) {
            while (!response.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed after " + response);
                }
                response.write(b);
            }
        } else {
            int at = head.indexOf("content-length:");
            int length = Integer.parseInt(head.substring(at + 15, head.indexOf('\r', at)).strip());
            response.write(in.readNBytes(length));
        }
        return response.toString(StandardCharsets.ISO_8859_1);
    }
}
