package dev.doorcast.link;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.doorcast.system.HandedOverConnection;
import jakarta.servlet.http.WebConnection;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
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
                session.run(this, new LinkReader(source(connection), session.maxBinaryMessage(),
                        DoorbellLink.MAX_TEXT_MESSAGE));
            } finally {
                connection.close();
            }
        });
    }

    /**
     * Where the reader's bytes come from. Tomcat's blocking read costs its poller a registration and a wake-up
     * for every message a doorbell sends, and the reader a monitor wait; so a plain connection is taken off
     * Tomcat's poller once and read in blocking mode, where a virtual thread waits on the JDK's own poller and
     * a close wakes it. What Tomcat had already read past the handshake comes first. A connection Tomcat
     * encrypts itself, or one that cannot be taken off in time, is read through Tomcat as before.
     */
    private static LinkReader.Source source(SocketWrapperBase<?> connection) {
        if (connection instanceof NioEndpoint.NioSocketWrapper nio && nio.getSocket().getClass() == NioChannel.class) {
            try {
                ByteBuffer early = ByteBuffer.allocate(1024);
                nio.read(false, early);
                early.flip();
                SocketChannel channel = nio.getSocket().getIOChannel();
                Selector selector = nio.getPoller().getSelector();
                SelectionKey key = channel.keyFor(selector);
                if (key != null) {
                    key.cancel();
                    selector.wakeup();
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (channel.isRegistered() && System.nanoTime() < deadline) {
                    Thread.sleep(1); // the poller deregisters a cancelled key at its next select
                }
                if (!channel.isRegistered()) {
                    channel.configureBlocking(true);
                    return into -> {
                        if (early.hasRemaining()) {
                            int n = Math.min(early.remaining(), into.remaining());
                            into.put(into.position(), early, early.position(), n).position(into.position() + n);
                            early.position(early.position() + n);
                            return n;
                        }
                        return channel.read(into);
                    };
                }
                if (early.hasRemaining()) {
                    nio.unRead(early);
                }
            } catch (IOException | InterruptedException e) {
                // Read through Tomcat.
            }
        }
        return into -> connection.read(true, into);
    }

    /** Sends one unfragmented frame; one thread at a time. */
    void send(int opcode, byte[] payload) throws IOException {
        SocketWrapperBase<?> connection = socket();
        byte[] head = header(opcode, payload.length);
        writing.lock();
        try {
            if (payload.length <= 2048) {
                byte[] whole = new byte[head.length + payload.length];
                System.arraycopy(head, 0, whole, 0, head.length);
                System.arraycopy(payload, 0, whole, head.length, payload.length);
                write(connection, ByteBuffer.wrap(whole));
            } else {
                write(connection, ByteBuffer.wrap(head));
                write(connection, ByteBuffer.wrap(payload));
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
