package dev.doorcast.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;

import jakarta.servlet.http.WebConnection;
import org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * A live stream's connection once its response headers are out: the socket alone, written by one virtual
 * thread until the viewer leaves.
 *
 * <p>A stream lives for hours, and as a servlet response it keeps everything Tomcat and Spring hold for a
 * request in progress: Tomcat's request and response objects with their header maps, its request head
 * buffer, the servlet response buffer, the async context and the observation of the request: 45 KB and more
 * of heap per viewer (docs/performance.md), for a response that after its headers is only ever written to.
 * So the controller sends the headers (200, {@code Connection: close}) and then upgrades the connection to
 * this handler, the way a WebSocket leaves HTTP: Tomcat finishes the request there (filters, metrics and logs see it end), returns
 * its processor to the pool, and gives this handler the socket. What a viewer holds from then on is the
 * socket with its read and write buffers, this object, and its writer thread's few frames of stack. The
 * client sees no difference: the response it got is the same 200 with the same headers, close-delimited.
 *
 * <p>Tomcat calls {@link #init} once the request is done, and this starts the stream's writer there. The
 * handler says it does its own I/O ({@link #hasAsyncIO()}), so Tomcat neither reads from the connection nor
 * asks it anything but to stop. Writes block, on a virtual thread, for at most the connection timeout
 * ({@code DoorcastHttpProtocol} sets it after the upgrade), and end with the socket's exception as a servlet
 * response's do; the writer closes the connection when its body returns.
 *
 * <p>A connection whose write failed (a viewer that stopped reading, or one that is gone) is closed with a
 * reset ({@code SO_LINGER} 0) rather than a FIN: the kernel then drops at once what it still had queued for
 * the viewer, where an orderly close would keep the queue, up to the socket's send buffer, until the viewer
 * read it or the kernel gave up minutes later. A stream that ends normally (the link expired, the server
 * stops) closes in order, so that the viewer gets all it was sent.
 *
 * <p>Public, with a public constructor: Tomcat creates it from the class ({@code request.upgrade}).
 */
public final class LiveConnection implements InternalHttpUpgradeHandler {

    private @Nullable LiveBody body;
    private @Nullable SocketWrapperBase<?> socket;

    /** What writes the stream once the connection is handed over; set right after the upgrade. */
    void body(LiveBody body) {
        this.body = body;
    }

    @Override
    public void setSocketWrapper(SocketWrapperBase<?> wrapper) {
        this.socket = wrapper;
    }

    @Override
    public void init(@Nullable WebConnection ignored) {
        SocketWrapperBase<?> connection = socket;
        LiveBody writer = body;
        if (connection == null || writer == null) {
            throw new IllegalStateException("a live connection started without its socket or its body");
        }
        body = null;
        Thread.ofVirtual().name("doorcast-stream").start(() -> {
            SocketStream stream = new SocketStream(connection);
            try {
                writer.writeTo(stream);
            } catch (IOException viewerLeft) {
                // The body counted what it had to; the connection is closed below either way.
            } finally {
                if (stream.failed) {
                    discardUnsent(connection);
                }
                connection.close();
            }
        });
    }

    /** Makes the close that follows a reset, which frees the socket's send queue at once. */
    private static void discardUnsent(SocketWrapperBase<?> connection) {
        if (connection.getSocket() instanceof NioChannel channel) {
            try {
                channel.getIOChannel().setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException alreadyClosed) {
                // Nothing left to free.
            }
        }
    }

    /** The writer thread does all I/O: Tomcat does not poll the connection for reads. */
    @Override
    public boolean hasAsyncIO() {
        return true;
    }

    /**
     * Tomcat's events for this connection. Reads and writes are the writer's (no read is ever asked for, and
     * its blocking writes are woken by the poller without a dispatch), and so is a write's error or timeout:
     * it ends with the exception and closes the connection. Only a stopping connector's request to close is
     * granted here; the writer's next write then fails and it ends.
     */
    @Override
    public SocketState upgradeDispatch(SocketEvent status) {
        return status == SocketEvent.STOP || status == SocketEvent.DISCONNECT
                ? SocketState.CLOSED
                : SocketState.ASYNC_IO;
    }

    @Override
    public void timeoutAsync(long now) {
        // Writes time out on their own: the socket's write timeout.
    }

    @Override
    public void setSslSupport(@Nullable SSLSupport sslSupport) {
        // TLS ends in front of doorcast; nothing here depends on it.
    }

    @Override
    public void pause() {
        // A paused connector takes no new requests; streams already open go on until the connector stops.
    }

    @Override
    public void destroy() {
        // Tomcat is done with the connection; the writer ends at its next write.
    }

    /**
     * A blocking stream onto the socket; the writer thread is the only one that writes. Each write goes to the
     * kernel straight from the caller's bytes, which for a live stream are the part every viewer shares: as
     * much as the socket takes at once, and only what it does not (a viewer that reads slower than it is
     * sent) goes through Tomcat's blocking write, with its timeout. Tomcat's own path would copy every part
     * into the connection's socket write buffer, or send it in slices of that buffer's size, so that buffer
     * would have to hold a whole part for every connection; this way it can stay small.
     */
    private static final class SocketStream extends OutputStream {

        private final SocketWrapperBase<?> socket;
        /** Whether a write failed: timed out, or the viewer's side was gone. */
        private boolean failed;

        SocketStream(SocketWrapperBase<?> socket) {
            this.socket = socket;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, off, len);
            try {
                // Only past what Tomcat still holds for this socket (nothing, as every write below ends flushed).
                if (socket.getSocket() instanceof NioChannel channel
                        && socket.getSocketBufferHandler().isWriteBufferEmpty()) {
                    channel.write(buffer);
                }
                if (buffer.hasRemaining()) {
                    socket.write(true, buffer);
                    socket.flush(true);
                }
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                socket.flush(true);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }
}
