package dev.doorcast.tomcat;

import java.io.IOException;
import java.io.OutputStream;

/** What a live stream writes after its headers, until its reader leaves or the stream ends. */
@FunctionalInterface
public interface StreamBody {

    /**
     * Writes, blocking, until the stream ends.
     *
     * @throws IOException when the reader has gone or stopped reading
     */
    void writeTo(OutputStream out) throws IOException;
}
