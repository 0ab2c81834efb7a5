package dev.doorcast.stream;

import java.io.IOException;
import java.io.OutputStream;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletResponse;

/** What every endless stream response needs before its first byte. */
final class LiveResponse {

    private LiveResponse() {
    }

    /**
     * Sets the headers of an endless stream, sends them at once, and returns the container's own output
     * stream. Call it on the request thread, before returning the {@code StreamingResponseBody}: Tomcat's
     * headers are not thread-safe, and Spring Security's filters still set headers on the request thread
     * while the body's thread starts; once committed, the response ignores those late changes. Headers set
     * from the body's thread were sometimes lost that way, {@code Connection: close} among them, and the
     * stream went out chunked.
     *
     * <p>{@code Connection: close} makes the body close-delimited: without it Tomcat chunks a response of
     * unknown length, and ESP32 displays that read the raw socket would find chunk-size lines inside the
     * JPEG. The headers are committed through the wrapped response, so that wrappers that add headers on
     * commit (Spring Security's) still do; the body then goes to the innermost response's connection
     * ({@link ConnectionStream}), which skips the wrappers' per-write bookkeeping and the servlet response
     * buffer, and whose {@code flush()} really reaches the socket.
     *
     * <p>If the viewer is gone before the headers go out, it leaves the registry and the error is rethrown.
     */
    static OutputStream open(HttpServletResponse response, String contentType, Viewer viewer,
            ViewerRegistry registry) throws IOException {
        try {
            response.setContentType(contentType);
            response.setHeader("Connection", "close");
            response.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
            response.setHeader("Pragma", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            response.flushBuffer();
            ServletResponse inner = response;
            while (inner instanceof ServletResponseWrapper wrapper) {
                inner = wrapper.getResponse();
            }
            return ConnectionStream.of(inner);
        } catch (IOException | RuntimeException e) {
            registry.leave(viewer);
            throw e;
        }
    }
}
