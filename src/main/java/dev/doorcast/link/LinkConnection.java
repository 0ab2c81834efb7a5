package dev.doorcast.link;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

import dev.doorcast.tomcat.HandedOverConnection;
import jakarta.servlet.http.WebConnection;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * A doorbell's link once the 101 is out: the socket alone, read by one virtual thread and written by another,
 * framed as RFC 6455 says a server frames (never masked). Tomcat hands the connection over as it does to its
 * own WebSocket, and then neither reads from it nor asks it anything but to stop; reads block until the next
 * message (the link's sweep ends a silent link), writes for at most the connection timeout
 * ({@code DoorcastHttpProtocol} sets it after the upgrade).
 *
 * <p>Public, with a public constructor: Tomcat creates it from the class ({@code request.upgrade}).
 */
public final class LinkConnection extends HandedOverConnection {

    private final ReentrantLock writing = new ReentrantLock();
    private @Nullable DoorbellLink link;

    /** What runs the link once the connection is handed over; set right after the upgrade. */
    void link(DoorbellLink link) {
        this.link = link;
    }

    @Override
    public void init(@Nullable WebConnection ignored) {
        SocketWrapperBase<?> connection = socket();
        DoorbellLink session = link;
        if (session == null) {
            throw new IllegalStateException("a link started without its socket or its doorbell");
        }
        link = null;
        // No timeout: a timed wait for every message costs a timer; the link's sweep ends a silent link.
        connection.setReadTimeout(-1);
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
        byte[] head = header(opcode, payload.length);
        writing.lock();
        try {
            if (payload.length <= 2048) {
                byte[] whole = new byte[head.length + payload.length];
                System.arraycopy(head, 0, whole, 0, head.length);
                System.arraycopy(payload, 0, whole, head.length, payload.length);
                write(ByteBuffer.wrap(whole));
            } else {
                write(ByteBuffer.wrap(head));
                write(ByteBuffer.wrap(payload));
            }
        } finally {
            writing.unlock();
        }
    }

    void close() {
        socket().close();
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
}
