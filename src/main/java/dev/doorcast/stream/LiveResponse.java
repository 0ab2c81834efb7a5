package dev.doorcast.stream;

import java.io.IOException;
import java.io.OutputStream;

import dev.doorcast.tomcat.HandedOverConnection;
import dev.doorcast.tomcat.LiveBody;
import dev.doorcast.tomcat.LiveConnection;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.RequestFacade;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** What every endless stream response needs before its first byte, and where its body then runs. */
final class LiveResponse {

    private LiveResponse() {
    }

    /**
     * Sets the headers of an endless stream, sends them at once, and hands the connection to {@code body}
     * until the viewer leaves; the viewer leaves the registry when the body ends, however it ends. Call it on
     * the request thread: Tomcat's headers are not thread-safe, and Spring Security's filters still set headers
     * on the request thread; once committed, the response ignores late changes. Headers set from the body's
     * thread were sometimes lost that way, {@code Connection: close} among them, and the stream went out
     * chunked.
     *
     * <p>{@code Connection: close} makes the body close-delimited: without it Tomcat chunks a response of
     * unknown length, and ESP32 displays that read the raw socket would find chunk-size lines inside the
     * JPEG. The headers are committed through the wrapped response, so that wrappers that add headers on
     * commit (Spring Security's) still do.
     *
     * <p>On Tomcat the connection is then upgraded to a {@link LiveConnection}, which keeps the socket and
     * nothing of the request, and {@code null} is returned: the request is over. Anywhere else the body is
     * returned as a {@link StreamingResponseBody} writing to the innermost response's servlet stream, which
     * skips the wrappers' bookkeeping on every write.
     *
     * <p>A {@code HEAD} request gets the same headers and nothing more: the viewer leaves at once.
     *
     * <p>If the viewer is gone before the headers go out, it leaves the registry and the error is rethrown.
     */
    static @Nullable StreamingResponseBody open(HttpServletRequest request, HttpServletResponse response,
            String contentType, Viewer viewer, ViewerRegistry registry, LiveBody body) throws IOException {
        LiveBody stream = out -> {
            viewer.started();
            try {
                body.writeTo(out);
            } catch (IOException viewerLeft) {
                // The normal end of a stream: the viewer closed the connection or stopped reading.
            } finally {
                registry.leave(viewer);
            }
        };
        try {
            response.setContentType(contentType);
            response.setHeader("Connection", "close");
            if (!response.containsHeader("Cache-Control")) {
                // Live: nothing to keep. A finished clip, which never changes, says what may keep it.
                response.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
                response.setHeader("Pragma", "no-cache");
            }
            response.setHeader("X-Accel-Buffering", "no");
            response.flushBuffer();
            if ("HEAD".equals(request.getMethod())) {
                // The headers are the whole answer: no body, and no writer holding a place for one.
                registry.leave(viewer);
                return null;
            }
            RequestFacade tomcat = HandedOverConnection.tomcat(request);
            if (tomcat != null) {
                // The status stays the 200 already sent: the upgrade's own 101 comes after the commit and is
                // ignored, as every status set on a committed response is.
                tomcat.upgrade(LiveConnection.class).body(stream);
                return null;
            }
            OutputStream out = innermost(response).getOutputStream();
            return ignored -> stream.writeTo(out);
        } catch (IOException | RuntimeException e) {
            registry.leave(viewer);
            throw e;
        } catch (ServletException e) {
            registry.leave(viewer);
            throw new IOException("Tomcat refused to hand over the connection", e);
        }
    }

    private static ServletResponse innermost(ServletResponse response) {
        ServletResponse inner = response;
        while (inner instanceof ServletResponseWrapper wrapper) {
            inner = wrapper.getResponse();
        }
        return inner;
    }
}
