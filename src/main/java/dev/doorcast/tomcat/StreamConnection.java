package dev.doorcast.tomcat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

import jakarta.servlet.http.WebConnection;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * A live stream's connection once its response headers are out: the socket alone, written by one virtual
 * thread until the viewer leaves.
 *
 * <p>A stream lives for hours, and as a servlet response it keeps everything Tomcat and Spring hold for a
 * request in progress: Tomcat's request and response objects with their header maps, its request head
 * buffer, the servlet response buffer, the async context and the observation of the request, most of what a
 * viewer would cost (docs/performance.md, "Memory per viewer"), for a response that after its headers is
 * only ever written to.
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
public final class StreamConnection extends HandedOverConnection {

    private @Nullable StreamBody body;

    /** What writes the stream once the connection is handed over; set right after the upgrade. */
    void body(StreamBody body) {
        this.body = body;
    }

    @Override
    public void init(@Nullable WebConnection ignored) {
        SocketWrapperBase<?> connection = socket();
        StreamBody writer = body;
        if (writer == null) {
            throw new IllegalStateException("a live connection started without its socket or its body");
        }
        body = null;
        Thread.ofVirtual().name("doorcast-stream").start(() -> {
            SocketStream stream = new SocketStream(this, connection);
            try {
                writer.writeTo(stream);
            } catch (IOException viewerLeft) {
                // The body counted what it had to; the connection is closed below either way.
            } finally {
                if (stream.failed) {
                    discardUnsent();
                }
                connection.close();
            }
        });
    }

    /**
     * A blocking stream onto the socket; the writer thread is the only one that writes. Each write goes to the
     * kernel straight from the caller's bytes, which for a live stream are the part every viewer shares
     * ({@link HandedOverConnection#write}).
     */
    private static final class SocketStream extends OutputStream {

        private final StreamConnection connection;
        private final SocketWrapperBase<?> socket;
        /** Whether a write failed: timed out, or the viewer's side was gone. */
        private boolean failed;

        SocketStream(StreamConnection connection, SocketWrapperBase<?> socket) {
            this.connection = connection;
            this.socket = socket;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            try {
                connection.write(ByteBuffer.wrap(bytes, off, len));
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
