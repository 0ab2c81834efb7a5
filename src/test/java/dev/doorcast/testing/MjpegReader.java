package dev.doorcast.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a live stream over a plain socket the way a careful ESP32 display would: the HTTP head, then for
 * each part the header lines up to the blank line, then exactly {@code Content-Length} bytes. It fails
 * loudly on anything else, such as chunked transfer encoding.
 */
public final class MjpegReader implements AutoCloseable {

    /** One part of the stream. */
    public record Part(Map<String, String> headers, byte[] body) {

        public long sequence() {
            return Long.parseLong(headers.get("x-sequence"));
        }

        public long timestamp() {
            return Long.parseLong(headers.get("x-timestamp"));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final Map<String, String> headers;
    private boolean ended;

    private MjpegReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        String statusLine = line();
        this.status = Integer.parseInt(statusLine.split(" ")[1]);
        this.headers = headerBlock();
    }

    /** Sends a GET for {@code path} and reads the response head; waits at most {@code timeout} per read. */
    public static MjpegReader open(int port, String path, Duration timeout) throws IOException {
        return open(port, path, timeout, new String[0]);
    }

    /** As {@link #open(int, String, Duration)}, with more request header lines ({@code "Name: value"}). */
    public static MjpegReader open(int port, String path, Duration timeout, String... headerLines) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) timeout.toMillis());
        StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: */*\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new MjpegReader(socket);
    }

    public int status() {
        return status;
    }

    /** Response headers, names in lower case. */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Reads up to and including the opening boundary line, skipping the blank lines of preamble a server
     * may send before its first frame.
     */
    public void readOpeningBoundary() throws IOException {
        String line = line();
        // One blank line a second before the first frame: give up after ten, rather than wait forever.
        for (int blank = 0; line.isEmpty() && blank < 10; blank++) {
            line = line();
        }
        if (!line.equals("--doorcast")) {
            throw new IOException("expected the opening boundary, got '" + line + "'");
        }
    }

    /** Reads the next part and the boundary line that ends it. */
    public Part nextPart() throws IOException {
        if (ended) {
            throw new IOException("the stream ended with its closing boundary");
        }
        Map<String, String> partHeaders = headerBlock();
        String length = partHeaders.get("content-length");
        if (length == null) {
            throw new IOException("part without Content-Length: " + partHeaders);
        }
        byte[] body = in.readNBytes(Integer.parseInt(length));
        String end = line();
        String boundary = lastLine();
        ended = boundary.equals("--doorcast--");
        if (!end.isEmpty() || !(ended || boundary.equals("--doorcast"))) {
            throw new IOException("part not followed by CRLF and boundary: '" + end + "' '" + boundary + "'");
        }
        return new Part(partHeaders, body);
    }

    /** Whether the last part read was followed by the closing boundary, {@code --doorcast--}: a finite stream's end. */
    public boolean ended() {
        return ended;
    }

    /** Reads exactly {@code count} raw body bytes (for the audio stream). */
    public byte[] readBytes(int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length < count) {
            throw new IOException("stream ended after " + bytes.length + " of " + count + " bytes");
        }
        return bytes;
    }

    /** Whether nothing arrives within {@code wait}: true when a read times out. */
    public boolean quietFor(Duration wait) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout((int) wait.toMillis());
        try {
            in.mark(1);
            int b = in.read();
            if (b < 0) {
                throw new IOException("stream ended");
            }
            in.reset();
            return false;
        } catch (SocketTimeoutException quiet) {
            return true;
        } finally {
            socket.setSoTimeout(previous);
        }
    }

    private Map<String, String> headerBlock() throws IOException {
        Map<String, String> block = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            block.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return block;
    }

    /** A line that may also be the last bytes of the stream, with no line break after it. */
    private String lastLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                if (line.size() == 0) {
                    throw new IOException("stream ended");
                }
                break;
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("stream ended");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Vanishes the way a killed process or a dropped link does: a reset, with no orderly close. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
