package dev.doorcast.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a server-sent events stream over a plain socket, as a strict client would: the HTTP head, then
 * events made of {@code field: value} lines ended by a blank line. It fails loudly on chunked transfer
 * encoding, which would show up as lines that are no field.
 */
public final class SseReader implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One event, or a comment ({@code type} null) as the keep-alive sends; {@code arrivedNanos} is
     * {@link System#nanoTime()} when its last line was read.
     */
    public record Event(String type, String data, long arrivedNanos) {

        public JsonNode json() {
            return JSON.readTree(data);
        }

        public boolean comment() {
            return type == null;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private SseReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.status = Integer.parseInt(line().split(" ")[1]);
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
    }

    /** Sends a GET for {@code path} with any extra header lines and reads the response head. */
    public static SseReader open(int port, String path, Duration timeout, String... headerLines) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) timeout.toMillis());
        StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: text/event-stream\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new SseReader(socket);
    }

    public int status() {
        return status;
    }

    /** Response headers, names in lower case. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The next event or comment; a block with only a {@code retry:} field is skipped. */
    public Event next() throws IOException {
        for (;;) {
            String type = null;
            StringBuilder data = null;
            boolean comment = false;
            for (String line = line(); !line.isEmpty(); line = line()) {
                if (line.startsWith(":")) {
                    comment = true;
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).strip());
                } else if (!line.startsWith("retry:") && !line.startsWith("id:")) {
                    throw new IOException("not an event-stream line: '" + line + "'");
                }
            }
            if (data != null) {
                return new Event(type == null ? "message" : type, data.toString(), System.nanoTime());
            }
            if (comment) {
                return new Event(null, "", System.nanoTime());
            }
        }
    }

    /** The next event that is not a comment. */
    public Event nextEvent() throws IOException {
        Event event = next();
        while (event.comment()) {
            event = next();
        }
        return event;
    }

    /** The next event of {@code type}, skipping others and comments. */
    public Event next(String type) throws IOException {
        Event event = nextEvent();
        while (!type.equals(event.type())) {
            event = nextEvent();
        }
        return event;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("stream ended");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
