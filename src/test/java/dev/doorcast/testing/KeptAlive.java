package dev.doorcast.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * A keep-alive connection from a chosen source address (any 127.x.y.z on loopback, which Linux routes to
 * lo, so that one machine can act as many clients): it sends a request, reads its answer whole and keeps
 * the connection open, idle, as a browser or a stranger does between requests.
 */
public final class KeptAlive implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    private KeptAlive(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** Connects to the server on {@code port} from {@code from}; each read waits at most {@code timeoutMillis}. */
    public static KeptAlive connect(int port, InetAddress from, int timeoutMillis) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, from, 0);
        socket.setSoTimeout(timeoutMillis);
        return new KeptAlive(socket);
    }

    /** Sends raw bytes: a whole request, or the start of one. */
    public void send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /**
     * Sends {@code GET path} with more header lines and reads the answer whole; returns it (head and
     * body), or null if the server closed or reset the connection instead of answering.
     */
    public @Nullable String get(String path, String... headerLines) throws IOException {
        StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        try {
            send(head.append("\r\n").toString());
            return readResponse();
        } catch (SocketTimeoutException noAnswer) {
            throw noAnswer;
        } catch (IOException closedOrReset) {
            return null;
        }
    }

    /** Whether the server has closed the connection: a read ends or is reset within {@code waitMillis}. */
    public boolean closedByServer(int waitMillis) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(waitMillis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            socket.setSoTimeout(previous);
        }
    }

    private @Nullable String readResponse() throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        while (!response.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            response.write(b);
        }
        String head = response.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int length = head.indexOf("content-length:");
        if (length >= 0) {
            int end = head.indexOf("\r\n", length);
            int n = Integer.parseInt(head.substring(length + "content-length:".length(), end).strip());
            response.writeBytes(in.readNBytes(n));
        } else if (head.contains("transfer-encoding: chunked")) {
            while (!response.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                response.write(b);
            }
        }
        return response.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
