package dev.doorcast.stream;

import java.io.IOException;

import dev.doorcast.tomcat.StreamBody;
import dev.doorcast.tomcat.StreamHandOver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** A viewer's stream response: its place among the viewers for as long as its body runs, and not a moment longer. */
final class LiveResponse {

    private LiveResponse() {
    }

    /**
     * Opens {@code viewer}'s stream ({@link StreamHandOver#open}: its headers sent at once, then its connection
     * handed to {@code body} until the viewer leaves); the viewer leaves the registry when the body ends, however
     * it ends. A {@code HEAD} request gets the same headers and nothing more: the viewer leaves at once. If the
     * viewer is gone before the headers go out, it leaves the registry and the error is rethrown.
     */
    static @Nullable StreamingResponseBody open(HttpServletRequest request, HttpServletResponse response,
            String contentType, Viewer viewer, ViewerRegistry registry, StreamBody body) throws IOException {
        StreamBody stream = out -> {
            viewer.started();
            try {
                body.writeTo(out);
            } catch (IOException viewerLeft) {
                // The normal end of a stream: the viewer closed the connection or stopped reading.
            } finally {
                registry.leave(viewer);
            }
        };
        return StreamHandOver.open(request, response, contentType, stream, () -> registry.leave(viewer));
    }
}
