package dev.doorcast.tomcat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The small per-connection buffers on a real Tomcat: a request body read as chars, and a response larger
 * than every buffer, still come through whole.
 */
class ConnectionBuffersTest {

    @TempDir
    Path base;

    @Test
    void readerBuffersCanBeTrimmedOnThisTomcat() {
        assertThat(new SmallReaderBuffers().active())
                .as("Tomcat's Request.inputBuffer and InputBuffer.cb are where the valve expects them")
                .isTrue();
    }

    @Test
    void longBodiesAreReadAsCharsAndLongAnswersWrittenWithTheSmallBuffers() throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(base.resolve("tomcat")).toString());
        Connector connector = new Connector(DoorcastHttpProtocol.class.getName());
        connector.setPort(0);
        new StreamConnector(DataSize.ofKilobytes(16)).customize(connector);
        tomcat.setConnector(connector);
        tomcat.getEngine().getPipeline().addValve(new SmallReaderBuffers());
        Context context = tomcat.addContext("", base.toString());
        Tomcat.addServlet(context, "echo", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                String body = request.getReader().readAllAsString();
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().write(body + body);
            }
        });
        context.addServletMappingDecoded("/echo", "echo");
        tomcat.start();
        try {
            // Three-byte characters across every buffer boundary, twice over (the socket reuses its request).
            String text = "ünïcødé ✓ ".repeat(3000);
            for (int i = 0; i < 2; i++) {
                assertThat(post(connector.getLocalPort(), text)).isEqualTo(text + text);
            }
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static String post(int port, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200");
            String payload = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            return answer.contains("Transfer-Encoding: chunked") ? unchunk(payload) : payload;
        }
    }

    private static String unchunk(String chunked) {
        byte[] bytes = chunked.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int lineEnd = indexOfCrLf(bytes, pos);
            int size = Integer.parseInt(new String(bytes, pos, lineEnd - pos, StandardCharsets.US_ASCII).trim(), 16);
            if (size == 0) {
                break;
            }
            collected.write(bytes, lineEnd + 2, size);
            pos = lineEnd + 2 + size + 2;
        }
        return collected.toString(StandardCharsets.UTF_8);
    }

    private static int indexOfCrLf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length - 1; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalStateException("no CR LF");
    }
}
