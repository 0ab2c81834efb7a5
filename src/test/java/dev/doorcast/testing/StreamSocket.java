package dev.doorcast.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A GET sent over a plain socket and its response head read, status line and headers, byte by byte as a
 * device would: what {@link MjpegReader} and {@link SseReader} read the rest of a stream from.
 */
final class StreamSocket implements AutoCloseable {

    final Socket socket;
    final InputStream in;
    final int status;
    /** Response headers, names in lower case. */
    final Map<String, String> headers;

    private StreamSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.status = Integer.parseInt(line(StandardCharsets.ISO_8859_1).split(" ")[1]);
        this.headers = headerBlock();
    }

    /** Sends {@code GET path} with {@code Accept: accept} and any more header lines; reads the response head. */
    static StreamSocket get(int port, String path, Duration timeout, String accept, String... headerLines)
            throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) timeout.toMillis());
        StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: " + accept + "\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new StreamSocket(socket);
    }

    /** {@code Name: value} lines up to a blank line, names in lower case. */
    Map<String, String> headerBlock() throws IOException {
        Map<String, String> block = new LinkedHashMap<>();
        for (String line = line(StandardCharsets.ISO_8859_1); !line.isEmpty(); line = line(StandardCharsets.ISO_8859_1)) {
            int colon = line.indexOf(':');
            block.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return block;
    }

    /** The next line, without its CRLF or LF; the stream ending before the line break is an error. */
    String line(Charset charset) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("stream ended");
            }
            line.write(b);
        }
        String text = line.toString(charset);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
