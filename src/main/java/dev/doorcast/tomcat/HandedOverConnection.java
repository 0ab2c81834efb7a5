package dev.doorcast.tomcat;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import org.apache.catalina.connector.RequestFacade;
import org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * A connection Tomcat has handed over once its request is done, the way it hands one to its own WebSocket:
 * the socket alone, its I/O done by doorcast's own threads (a live stream's writer, a doorbell link's reader
 * and writer). Tomcat neither reads from it nor asks it anything but to stop; reads and writes time out on
 * their own ({@link DoorcastHttpProtocol} gives back the write timeout that an upgrade sets to infinite).
 */
public abstract class HandedOverConnection implements InternalHttpUpgradeHandler {

    private @Nullable SocketWrapperBase<?> socket;
    /**
     * The connection's own channel when Tomcat does not encrypt it, taken at the hand-over. Tomcat's wrapper
     * gives its {@code NioChannel} to the next connection it accepts once this one closes, so a thread that
     * asked the wrapper for it just before another thread closed the connection would write to a stranger's;
     * the JDK's channel stays this connection's, and only fails once it is closed.
     */
    private @Nullable SocketChannel plain;

    @Override
    public final void setSocketWrapper(SocketWrapperBase<?> wrapper) {
        this.socket = wrapper;
        this.plain = wrapper.getSocket() instanceof NioChannel channel && channel.getClass() == NioChannel.class
                ? channel.getIOChannel() : null;
    }

    /** The socket, once Tomcat has handed it over. */
    protected final SocketWrapperBase<?> socket() {
        SocketWrapperBase<?> connection = socket;
        if (connection == null) {
            throw new IllegalStateException("the connection has not been handed over");
        }
        return connection;
    }

    /**
     * Tomcat's own request under Spring's and Spring Security's wrappers, which can hand its connection over
     * ({@code upgrade}); null off Tomcat.
     */
    public static @Nullable RequestFacade tomcat(ServletRequest request) {
        ServletRequest inner = request;
        while (inner instanceof ServletRequestWrapper wrapper) {
            inner = wrapper.getRequest();
        }
        return inner instanceof RequestFacade facade ? facade : null;
    }

    /**
     * Writes {@code buffer} whole, blocking: straight to the kernel as far as it takes it at once, and only
     * the rest through Tomcat's blocking write, with its timeout. Tomcat's own path would copy every byte into
     * the connection's socket write buffer, or send in slices of its size, so that buffer would have to hold a
     * whole JPEG for every connection; this way it can stay small. A connection Tomcat encrypts goes through
     * Tomcat's write alone. One thread at a time.
     */
    protected final void write(ByteBuffer buffer) throws IOException {
        SocketWrapperBase<?> connection = socket();
        SocketChannel channel = plain;
        // Only past what Tomcat still holds for this socket (nothing, as every write below ends flushed).
        if (channel != null && connection.getSocketBufferHandler().isWriteBufferEmpty()) {
            channel.write(buffer);
        }
        if (buffer.hasRemaining()) {
            connection.write(true, buffer);
            connection.flush(true);
        }
    }

    /** Makes the close that follows a reset, which frees the socket's send queue at once. */
    protected final void discardUnsent() {
        SocketChannel channel = plain;
        if (channel != null) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException alreadyClosed) {
                // Nothing left to free.
            }
        }
    }

    /** doorcast's threads do all I/O: Tomcat does not poll the connection for reads. */
    @Override
    public final boolean hasAsyncIO() {
        return true;
    }

    /**
     * Tomcat's events for this connection. Reads and writes are doorcast's threads' (their blocking waits are
     * woken by the poller without a dispatch), and so are their errors and timeouts. Only a stopping
     * connector's request to close is granted here; the next read or write then fails and its thread ends.
     */
    @Override
    public final SocketState upgradeDispatch(SocketEvent status) {
        return status == SocketEvent.STOP || status == SocketEvent.DISCONNECT
                ? SocketState.CLOSED
                : SocketState.ASYNC_IO;
    }

    @Override
    public final void timeoutAsync(long now) {
        // Reads and writes time out on their own.
    }

    @Override
    public final void setSslSupport(@Nullable SSLSupport sslSupport) {
        // TLS ends in front of doorcast, or in Tomcat below this; nothing here depends on it.
    }

    @Override
    public final void pause() {
        // A paused connector takes no new requests; handed-over connections go on until the connector stops.
    }

    @Override
    public final void destroy() {
        // Tomcat is done with the connection; its threads end at their next read or write.
    }
}
