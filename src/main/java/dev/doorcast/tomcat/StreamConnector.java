package dev.doorcast.tomcat;

import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.util.unit.DataSize;

/**
 * Tomcat's socket settings for thousands of endless streams; the figures behind them are in
 * docs/performance.md.
 *
 * <p>Every connection holds a socket write buffer (8 KB by default) for its whole life. Tomcat writes anything
 * at least as large as it straight to the socket in slices of that size, so the buffer once had to hold a
 * whole camera part; the live streams now write past it ({@link StreamConnection}), and the rest (JSON, the
 * page, snapshots, metrics) does well with a small one.
 *
 * <p>The socket read buffer only stages what a connection sends: a viewer sends one request head and then
 * nothing for hours, yet the buffer lives as long as the connection. Tomcat reads bodies and heads into its
 * own request buffer in slices of this size, so a small one costs the device a few more {@code read} calls
 * per frame and saves every viewer 7 KB.
 *
 * <p>Tomcat also gives every connection a buffer for the trailer headers of a chunked request body (8 KB by
 * default), allocated whether or not such a body ever comes. Devices send bodies with a length and viewers
 * send none, so doorcast takes trailers of at most 1 KB and keeps 7 KB more per viewer.
 */
final class StreamConnector implements TomcatConnectorCustomizer {

    static final int READ_BUFFER = 1024;

    static final int MAX_TRAILER_SIZE = 1024;

    private final DataSize writeBuffer;

    StreamConnector(DataSize writeBuffer) {
        this.writeBuffer = writeBuffer;
    }

    @Override
    public void customize(Connector connector) {
        set(connector, "socket.appWriteBufSize", writeBuffer.toBytes());
        set(connector, "socket.appReadBufSize", READ_BUFFER);
        set(connector, "maxTrailerSize", MAX_TRAILER_SIZE);
    }

    private static void set(Connector connector, String property, long value) {
        if (!connector.setProperty(property, Long.toString(value))) {
            throw new IllegalStateException("Tomcat did not take " + property);
        }
    }
}
