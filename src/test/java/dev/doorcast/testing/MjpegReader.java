package dev.doorcast.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

    private final StreamSocket stream;
    private final Socket socket;
    private final InputStream in;
    private boolean ended;

    private MjpegReader(StreamSocket stream) {
        this.stream = stream;
        this.socket = stream.socket;
        this.in = stream.in;
    }

    /** Sends a GET for {@code path} and reads the response head; waits at most {@code timeout} per read. */
    public static MjpegReader open(int port, String path, Duration timeout) throws IOException {
        return open(port, path, timeout, new String[0]);
    }

    /** As {@link #open(int, String, Duration)}, with more request header lines ({@code "Name: value"}). */
    public static MjpegReader open(int port, String path, Duration timeout, String... headerLines) throws IOException {
        return new MjpegReader(StreamSocket.get(port, path, timeout, "*/*", headerLines));
    }

    public int status() {
        return stream.status;
    }

    /** Response headers, names in lower case. */
    public Map<String, String> headers() {
        return stream.headers;
    }

    /**
     * Reads up to and including the opening boundary line, skipping the blank lines of preamble a server
     * may send before its first frame.
     */
    public void readOpeningBoundary() throws IOException {
        String line = line();
        // A kilobyte of blank lines a second before the first frame: give up after about a minute's worth,
        // rather than wait forever.
        for (int blank = 0; line.isEmpty() && blank < 30_000; blank++) {
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
        Map<String, String> partHeaders = stream.headerBlock();
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
        return stream.line(StandardCharsets.ISO_8859_1);
    }

    /** Vanishes the way a killed process or a dropped link does: a reset, with no orderly close. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
