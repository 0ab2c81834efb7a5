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
import org.apache.tomcat.util.net.SocketBufferHandler;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * A doorbell's link once the 101 is out: the socket alone, read by one virtual thread and written by another,
 * framed as RFC 6455 says a server frames (never masked). Tomcat hands the connection over as it does to its
 * own WebSocket, and then neither reads from it nor asks it anything but to stop; reads block until the next
 * message (the link's sweep ends a silent link), writes for at most the connection timeout
 * ({@code DoorcastHttpProtocol} sets it after the upgrade).
 *
 * <p>A plain connection is also taken off Tomcat's selector at the hand-over and read and written in blocking
 * mode, so that each message waits on the JDK's own poller: through Tomcat, every message a doorbell sends
 * would cost Tomcat's poller a read-interest registration and a selector wake-up, and the reader a monitor
 * wait (docs/performance.md, "The doorbell's link", has what that saves).
 *
 * <p>Public, with a public constructor: Tomcat creates it from the class ({@code request.upgrade}).
 */
public final class LinkConnection extends HandedOverConnection {

    private final ReentrantLock writing = new ReentrantLock();
    private @Nullable DoorbellLink link;
    /** The socket off Tomcat's selector, in blocking mode; null while Tomcat still reads and writes it. */
    private @Nullable SocketChannel detached;
    /** When the write in progress began ({@link System#nanoTime()}), 0 between writes; for a detached socket. */
    private volatile long writingSince;

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
        LinkReader.Source source = detach(connection);
        Thread.ofVirtual().name("doorcast-link-in").start(() -> {
            try {
                session.run(this, new LinkReader(source, session.maxBinaryMessage(), DoorbellLink.MAX_TEXT_MESSAGE));
            } finally {
                connection.close();
            }
        });
    }

    /**
     * Takes a plain connection off Tomcat's selector, and says where the reader's bytes come from. This runs in
     * {@code init}, on the Tomcat thread that processes the handshake, which owns the socket until it returns:
     * the poller dispatched the request having cleared the socket's interest, and has nothing queued for it;
     * nothing of Tomcat registers it again once this handler says it does its own I/O ({@code hasAsyncIO}),
     * as long as nothing here reads or writes through Tomcat again. So the key is cancelled (a cancelled key
     * lets the channel block at once; the poller forgets it at its next select, woken for that) and Tomcat
     * is never asked to read or write this socket again. What Tomcat had read past the handshake comes first.
     * A connection Tomcat encrypts itself, or one with a response byte still in Tomcat's buffer, is read and
     * written through Tomcat as before.
     */
    private LinkReader.Source detach(SocketWrapperBase<?> connection) {
        if (!(connection instanceof NioEndpoint.NioSocketWrapper nio) || nio.getSocket().getClass() != NioChannel.class
                || !nio.getSocketBufferHandler().isWriteBufferEmpty()) {
            return into -> connection.read(true, into);
        }
        SocketChannel channel = nio.getSocket().getIOChannel();
        Selector selector = nio.getPoller().getSelector();
        SelectionKey key = channel.keyFor(selector);
        if (key == null || !key.isValid() || key.interestOps() != 0) {
            return into -> connection.read(true, into);
        }
        SocketBufferHandler buffers = nio.getSocketBufferHandler();
        buffers.configureReadBufferForRead();
        ByteBuffer held = buffers.getReadBuffer();
        ByteBuffer early = ByteBuffer.allocate(held.remaining()).put(held).flip();
        key.cancel();
        selector.wakeup();
        try {
            channel.configureBlocking(true);
        } catch (IOException closed) {
            // The doorbell has gone already: the reader's first read ends the link.
        }
        detached = channel;
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

    /** Sends one unfragmented frame; one thread at a time. */
    void send(int opcode, byte[] payload) throws IOException {
        SocketWrapperBase<?> connection = socket();
        byte[] head = header(opcode, payload.length);
        ByteBuffer[] frame;
        if (payload.length <= 2048) {
            byte[] whole = new byte[head.length + payload.length];
            System.arraycopy(head, 0, whole, 0, head.length);
            System.arraycopy(payload, 0, whole, head.length, payload.length);
            frame = new ByteBuffer[] {ByteBuffer.wrap(whole)};
        } else {
            frame = new ByteBuffer[] {ByteBuffer.wrap(head), ByteBuffer.wrap(payload)};
        }
        writing.lock();
        try {
            SocketChannel channel = detached;
            if (channel == null) {
                for (ByteBuffer part : frame) {
                    write(connection, part);
                }
                return;
            }
            writingSince = System.nanoTime() | 1;
            try {
                while (frame[frame.length - 1].hasRemaining()) {
                    channel.write(frame);
                }
            } finally {
                writingSince = 0;
            }
        } finally {
            writing.unlock();
        }
    }

    /**
     * Ends a detached connection whose write has waited on the doorbell longer than the write timeout, as
     * Tomcat's timed write ends the others: the writer's write then fails, and the link ends.
     */
    void endStuckWrite() {
        long since = writingSince;
        long timeout = socket().getWriteTimeout();
        if (since != 0 && timeout > 0 && System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(timeout)) {
            discardUnsent(socket());
            close();
        }
    }

    /**
     * Closes the connection. A detached one first ends its output, so that the doorbell gets the close frame
     * and then the end of the stream, as through Tomcat (whose selector defers the socket's close), and not a
     * reset that may overtake them while it is still sending.
     */
    void close() {
        SocketChannel channel = detached;
        if (channel != null) {
            try {
                channel.shutdownOutput();
            } catch (IOException | RuntimeException gone) {
                // Closed already, or never connected: the close below is all there is to do.
            }
        }
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
