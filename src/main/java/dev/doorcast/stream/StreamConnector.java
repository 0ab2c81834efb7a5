package dev.doorcast.stream;

import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.util.unit.DataSize;

/**
 * Tomcat's socket settings for thousands of endless streams; the figures behind them are in
 * docs/performance.md.
 *
 * <p>Tomcat writes anything at least as large as its socket write buffer (8 KB by default) straight to the
 * socket in slices of that size, so a 9 KB camera part cost two {@code write} syscalls per viewer per
 * frame, and a 30 KB one four. A buffer that holds a whole typical part sends it in one.
 */
final class StreamConnector implements TomcatConnectorCustomizer {

    private final DataSize writeBuffer;

    StreamConnector(DataSize writeBuffer) {
        this.writeBuffer = writeBuffer;
    }

    @Override
    public void customize(Connector connector) {
        if (!connector.setProperty("socket.appWriteBufSize", Long.toString(writeBuffer.toBytes()))) {
            throw new IllegalStateException("Tomcat did not take socket.appWriteBufSize");
        }
    }
}
