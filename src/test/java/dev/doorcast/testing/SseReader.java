package dev.doorcast.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

    private final StreamSocket stream;

    private SseReader(StreamSocket stream) {
        this.stream = stream;
    }

    /** Sends a GET for {@code path} with any extra header lines and reads the response head. */
    public static SseReader open(int port, String path, Duration timeout, String... headerLines) throws IOException {
        return new SseReader(StreamSocket.get(port, path, timeout, "text/event-stream", headerLines));
    }

    public int status() {
        return stream.status;
    }

    /** Response headers, names in lower case. */
    public Map<String, String> headers() {
        return stream.headers;
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
        return stream.line(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
