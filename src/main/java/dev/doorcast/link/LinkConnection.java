package dev.doorcast.link;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.http.WebConnection;
import org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * A doorbell's link once the 101 is out: the socket alone, read by one virtual thread and written by another,
 * framed as RFC 6455 says a server frames (never masked). Tomcat hands the connection over as it does to its
 * own WebSocket, and then neither reads from it nor asks it anything but to stop; reads block for at most the
 * link's silence, writes for at most the connection timeout ({@code DoorcastHttpProtocol} sets it after the
 * upgrade).
 *
 * <p>Public, with a public constructor: Tomcat creates it from the class ({@code request.upgrade}).
 */
public final class LinkConnection implements InternalHttpUpgradeHandler {

    private final ReentrantLock writing = new ReentrantLock();
    private @Nullable DoorbellLink link;
    private @Nullable SocketWrapperBase<?> socket;

    /** What runs the link once the connection is handed over; set right after the upgrade. */
    void link(DoorbellLink link) {
        this.link = link;
    }

    @Override
    public void setSocketWrapper(SocketWrapperBase<?> wrapper) {
        this.socket = wrapper;
    }

    @Override
    public void init(@Nullable WebConnection ignored) {
        SocketWrapperBase<?> connection = socket;
        DoorbellLink session = link;
        if (connection == null || session == null) {
            throw new IllegalStateException("a link started without its socket or its doorbell");
        }
        link = null;
        connection.setReadTimeout(session.silence().toMillis());
        Thread.ofVirtual().name("doorcast-link-in").start(() -> {
            try {
                session.run(this, new LinkReader(into -> connection.read(true, into), session.maxBinaryMessage(),
                        DoorbellLink.MAX_TEXT_MESSAGE));
            } finally {
                connection.close();
            }
        });
    }

    /** Sends one unfragmented frame; one thread at a time. */
    void send(int opcode, byte[] payload) throws IOException {
        SocketWrapperBase<?> connection = socket;
        if (connection == null) {
            throw new IOException("not connected");
        }
        byte[] head = header(opcode, payload.length);
        writing.lock();
        try {
            if (payload.length <= 2048) {
                byte[] whole = new byte[head.length + payload.length];
                System.arraycopy(head, 0, whole, 0, head.length);
                System.arraycopy(payload, 0, whole, head.length, payload.length);
                write(connection, whole);
            } else {
                write(connection, head);
                write(connection, payload);
            }
        } finally {
            writing.unlock();
        }
    }

    void close() {
        SocketWrapperBase<?> connection = socket;
        if (connection != null) {
            connection.close();
        }
    }

    /** A server frame's head: FIN, the opcode, the length; never a mask. */
    static byte[] header(int opcode, int length) {
        if (length < 126) {
            return new byte[] {(byte) (0x80 | opcode), (byte) length};
        }
        if (length < 65_536) {
            return new byte[] {(byte) (0x80 | opcode), 126, (byte) (length >>> 8), (byte) length};
        }
        return ByteBuffer.allocate(10).put((byte) (0x80 | opcode)).put((byte) 127).putLong(length).array();
    }

    /** Straight to the kernel as far as it takes it, the rest through Tomcat's blocking write (see LiveConnection). */
    private static void write(SocketWrapperBase<?> socket, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (socket.getSocket() instanceof NioChannel channel && socket.getSocketBufferHandler().isWriteBufferEmpty()) {
            channel.write(buffer);
        }
        if (buffer.hasRemaining()) {
            socket.write(true, buffer);
            socket.flush(true);
        }
    }

    /** The link's threads do all I/O: Tomcat does not poll the connection for reads. */
    @Override
    public boolean hasAsyncIO() {
        return true;
    }

    /** Only a stopping connector's request to close is granted; the link's threads then see the socket closed. */
    @Override
    public SocketState upgradeDispatch(SocketEvent status) {
        return status == SocketEvent.STOP || status == SocketEvent.DISCONNECT
                ? SocketState.CLOSED
                : SocketState.ASYNC_IO;
    }

    @Override
    public void timeoutAsync(long now) {
        // Reads and writes time out on their own.
    }

    @Override
    public void setSslSupport(@Nullable SSLSupport sslSupport) {
        // TLS ends in front of doorcast, or in Tomcat below this; nothing here depends on it.
    }

    @Override
    public void pause() {
        // Links go on until the connector stops.
    }

    @Override
    public void destroy() {
        // Tomcat is done with the connection; the link's threads end at their next read or write.
    }
}
