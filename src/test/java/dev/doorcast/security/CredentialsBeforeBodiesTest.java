package dev.doorcast.security;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.doorcast.testing.Doorbell;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With viewer access on, a request without credentials is refused from its head alone: nothing reads its
 * body, or waits for it, first. The server is ViewerAuthTest's (same settings, so Spring shares it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.security.viewer-token=" + ViewerAuthTest.VIEWER_TOKEN,
        "doorcast.cors.allowed-origins=https://home.example",
})
class CredentialsBeforeBodiesTest {

    @LocalServerPort
    int port;

    @Test
    void formPostToAStreamIsRefusedBeforeItsBodyArrives() throws Exception {
        String answer = answerTo("POST /api/v1/stream/camera HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 401");
    }

    @Test
    void aLinkInAFormBodyIsNoCredentialOnlyTheQueryStringsIs() throws Exception {
        String form = "access=1.abc";
        String answer = answerTo("POST /api/v1/stream/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n"
                + form);

        // No credential at all, rather than a link that is not valid (error="invalid_token").
        assertThat(answer).startsWith("HTTP/1.1 401").contains("WWW-Authenticate: Bearer realm=\"doorcast\"\r\n");
    }

    @Test
    void deviceFramePostWithoutTokenIsRefusedBeforeItsBodyArrives() throws Exception {
        String answer = answerTo("POST /api/v1/devices/doorbell/camera-stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 270000\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 401");
    }

    /** Sends {@code request} (a head and maybe a body); the answer's head, which must come within 3 s. */
    private String answerTo(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            // Shorter than Tomcat's 5 s read timeout: an answer only after that would mean something waited for the body.
            socket.setSoTimeout(3_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                answer.write(buffer, 0, n);
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
