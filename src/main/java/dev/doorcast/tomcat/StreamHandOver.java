package dev.doorcast.tomcat;

import java.io.IOException;
import java.io.OutputStream;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.RequestFacade;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** What every stream response needs before its first byte, and the hand-over of its connection to its body. */
public final class StreamHandOver {

    private StreamHandOver() {
    }

    /**
     * Sets the headers of a stream, sends them at once, and hands the connection to {@code body} until the
     * reader leaves. Call it on the request thread: Tomcat's headers are not thread-safe, and Spring
     * Security's filters still set headers on the request thread; once committed, the response ignores late
     * changes. Headers set from the body's thread were sometimes lost that way, {@code Connection: close}
     * among them, and the stream went out chunked.
     *
     * <p>{@code Connection: close} makes the body close-delimited: without it Tomcat chunks a response of
     * unknown length, and ESP32 displays that read the raw socket would find chunk-size lines inside the
     * JPEG. The headers are committed through the wrapped response, so that wrappers that add headers on
     * commit (Spring Security's) still do.
     *
     * <p>On Tomcat the connection is then upgraded to a {@link StreamConnection}, which keeps the socket and
     * nothing of the request, and {@code null} is returned: the request is over. Anywhere else the body is
     * returned as a {@link StreamingResponseBody} writing to the innermost response's servlet stream, which
     * skips the wrappers' bookkeeping on every write.
     *
     * @param noBody run when {@code body} will never run: a {@code HEAD} request, whose headers are the whole
     *     answer, or a reader gone before the headers went out (the error is then rethrown)
     */
    public static @Nullable StreamingResponseBody open(HttpServletRequest request, HttpServletResponse response,
            String contentType, StreamBody body, Runnable noBody) throws IOException {
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
                noBody.run();
                return null;
            }
            RequestFacade tomcat = HandedOverConnection.tomcat(request);
            if (tomcat != null) {
                // The status stays the 200 already sent: the upgrade's own 101 comes after the commit and is
                // ignored, as every status set on a committed response is.
                tomcat.upgrade(StreamConnection.class).body(body);
                return null;
            }
            OutputStream out = innermost(response).getOutputStream();
            return ignored -> body.writeTo(out);
        } catch (IOException | RuntimeException e) {
            noBody.run();
            throw e;
        } catch (ServletException e) {
            noBody.run();
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
