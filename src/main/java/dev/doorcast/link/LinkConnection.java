package dev.doorcast.link;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import dev.doorcast.tomcat.HandedOverConnection;
import jakarta.servlet.http.WebConnection;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketBufferHandler;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * A doorbell's link once the 101 is out: the socket alone, framed as RFC 6455 says a server frames (never
 * masked). Tomcat hands the connection over as it does to its own WebSocket, and then neither reads from it
 * nor asks it anything but to stop.
 *
 * <p>A plain connection leaves Tomcat's selector at the hand-over for one of the {@link LinkPollers}, which
 * reads it as its bytes come, registered once for the link's life, and hands each message to the link on its
 * own thread; the link's writer writes to the socket itself, waiting on the poller when it is full, for at
 * most the write timeout ({@code DoorcastHttpProtocol} sets it after the upgrade; the link's sweep ends a
 * write stuck past it). A connection Tomcat encrypts, or one Tomcat still has something of, is read by a
 * virtual thread through Tomcat's blocking read, and written through Tomcat, as before.
 *
 * <p>Public, with a public constructor: Tomcat creates it from the class ({@code request.upgrade}).
 */
public final class LinkConnection extends HandedOverConnection {

    private final ReentrantLock writing = new ReentrantLock();
    private @Nullable DoorbellLink link;
    private @Nullable LinkPollers pollers;

    /** The socket off Tomcat's selector, non-blocking, read by {@link #poller}; null while Tomcat reads it. */
    private volatile @Nullable SocketChannel detached;
    private volatile LinkPollers.@Nullable Poller poller;
    /** Bytes Tomcat had read past the handshake; framed first, then let go. Poller thread only. */
    private @Nullable ByteBuffer early;
    /** The frames and their handling, and whether everything read is now dropped unlooked at. Poller thread only. */
    private @Nullable LinkFrames frames;
    private DoorbellLink.@Nullable Receiver receiver;
    private boolean droppingAll;
    private boolean readingOver;
    /** Whether the writer asked to hear when the socket takes more, before the channel was registered. */
    private boolean writeWanted;
    private @Nullable SelectionKey key;
    /** Tomcat's selector, woken at the close so that it lets the socket go at once. */
    private volatile @Nullable Selector tomcatSelector;

    /** The writer parked until the socket takes more; when the write in progress began, 0 between writes. */
    private volatile @Nullable Thread waitingWriter;
    private volatile long writingSince;

    /** What runs the link once the connection is handed over, and what may read it; set right after the upgrade. */
    void link(DoorbellLink link, LinkPollers pollers) {
        this.link = link;
        this.pollers = pollers;
    }

    @Override
    public void init(@Nullable WebConnection ignored) {
        SocketWrapperBase<?> connection = socket();
        DoorbellLink session = link;
        LinkPollers readers = pollers;
        if (session == null || readers == null) {
            throw new IllegalStateException("a link started without its socket or its doorbell");
        }
        link = null;
        pollers = null;
        LinkPollers.Poller chosen = readers.poller();
        if (chosen != null && detach(connection)) {
            poller = chosen;
            frames = new LinkFrames(session.maxBinaryMessage(), DoorbellLink.MAX_TEXT_MESSAGE);
            receiver = session.start(this);
            chosen.register(this);
            return;
        }
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

    /**
     * Takes a plain connection off Tomcat's selector; false if it stays there. This runs in {@code init}, on
     * the Tomcat thread that processes the handshake, which owns the socket until it returns: the poller
     * dispatched the request having cleared the socket's interest, and has nothing queued for it; nothing of
     * Tomcat registers it again once this handler says it does its own I/O ({@code hasAsyncIO}), as long as
     * nothing here reads or writes through Tomcat again. So Tomcat's key is left with no interest, and Tomcat is
     * never asked to read or write this socket again. What
     * Tomcat had read past the handshake is framed first. A connection Tomcat encrypts itself, or one with a
     * response byte still in Tomcat's buffer, stays Tomcat's. The channel stays non-blocking: nothing here ever
     * waits in a read or write of its own.
     */
    private boolean detach(SocketWrapperBase<?> connection) {
        if (!(connection instanceof NioEndpoint.NioSocketWrapper nio) || nio.getSocket().getClass() != NioChannel.class
                || !nio.getSocketBufferHandler().isWriteBufferEmpty()) {
            return false;
        }
        SocketChannel channel = nio.getSocket().getIOChannel();
        Selector selector = nio.getPoller().getSelector();
        SelectionKey tomcats = channel.keyFor(selector);
        if (tomcats == null || !tomcats.isValid() || tomcats.interestOps() != 0 || channel.isBlocking()) {
            return false;
        }
        SocketBufferHandler buffers = nio.getSocketBufferHandler();
        buffers.configureReadBufferForRead();
        ByteBuffer held = buffers.getReadBuffer();
        early = held.hasRemaining() ? ByteBuffer.allocate(held.remaining()).put(held).flip() : null;
        // Tomcat's key stays, with no interest: its poller never wakes for this socket, and a registration it
        // may still have queued for it finds the key and only dispatches once, to a handler that ignores it.
        // A cancelled key would have that registration close the connection. No read timeout either, so that
        // Tomcat's timeout check never fires for this socket.
        connection.setReadTimeout(-1);
        tomcatSelector = selector;
        detached = channel;
        return true;
    }

    /** On the poller's thread: the channel joins its selector, for reading, and what Tomcat had read is framed. */
    void registered(Selector selector, ByteBuffer scratch) {
        SocketChannel channel = detached;
        if (channel == null) {
            return;
        }
        try {
            key = channel.register(selector, SelectionKey.OP_READ | (writeWanted ? SelectionKey.OP_WRITE : 0), this);
        } catch (ClosedChannelException | RuntimeException closed) {
            // Closed already (the link ended before it was registered): nothing to read.
            endReading(true);
            return;
        }
        ByteBuffer first = early;
        early = null;
        if (first != null) {
            take(first);
        }
    }

    /**
     * On the poller's thread, the socket has bytes: reads them, at most a round's worth, into the poller's
     * {@code scratch} and frames them. A read that does not fill the buffer took all there was; if more came
     * meanwhile, the next select says so at once.
     */
    void readable(SelectionKey selected, ByteBuffer scratch) {
        SocketChannel channel = detached;
        if (readingOver || channel == null) {
            return;
        }
        int total = 0;
        while (total < LinkPollers.ROUND && !readingOver) {
            scratch.clear().limit(Math.min(scratch.capacity(), LinkPollers.ROUND - total));
            int asked = scratch.remaining();
            int read;
            try {
                read = channel.read(scratch);
            } catch (IOException gone) {
                read = -1;
            }
            if (read < 0) {
                endReading(true);
                return;
            }
            if (read == 0) {
                return;
            }
            total += read;
            take(scratch.flip());
            if (read < asked) {
                return;
            }
        }
    }

    /** Frames what has come, or drops it once what comes can no longer be followed. Poller thread only. */
    private void take(ByteBuffer bytes) {
        LinkFrames framing = frames;
        DoorbellLink.Receiver handling = receiver;
        if (droppingAll || readingOver || framing == null || handling == null) {
            return;
        }
        try {
            if (!framing.feed(bytes, handling)) {
                endReading(false);
            }
        } catch (LinkReader.Violation violation) {
            if (handling.violated(violation)) {
                // Past a broken rule the frames cannot be followed: everything is dropped until the doorbell ends.
                droppingAll = true;
                frames = null;
            } else {
                endReading(false);
            }
        } catch (RuntimeException bug) {
            handling.failed(bug);
            droppingAll = true;
            frames = null;
        }
    }

    /** Nothing more is read: at the end of the stream ({@code end}) or once the link needs no more. */
    private void endReading(boolean end) {
        if (readingOver) {
            return;
        }
        readingOver = true;
        frames = null;
        SelectionKey registered = key;
        if (registered != null && registered.isValid()) {
            registered.interestOps(registered.interestOps() & ~SelectionKey.OP_READ);
        }
        DoorbellLink.Receiver handling = receiver;
        if (handling != null) {
            handling.ended(end);
        }
    }

    /** On the poller's thread: the full socket takes more again; its writer goes on. */
    void writable(SelectionKey selected) {
        selected.interestOps(selected.interestOps() & ~SelectionKey.OP_WRITE);
        Thread writer = waitingWriter;
        if (writer != null) {
            LockSupport.unpark(writer);
        }
    }

    /** Sends one unfragmented frame; one thread at a time. */
    void send(int opcode, byte[] payload) throws IOException {
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
                    write(part);
                }
                return;
            }
            writingSince = System.nanoTime() | 1;
            try {
                ByteBuffer last = frame[frame.length - 1];
                while (last.hasRemaining()) {
                    if (channel.write(frame) == 0 && last.hasRemaining()) {
                        awaitWritable(channel);
                    }
                }
            } finally {
                writingSince = 0;
            }
        } finally {
            writing.unlock();
        }
    }

    /** Parks the writer until the poller sees the socket take more, or the connection closes. */
    private void awaitWritable(SocketChannel channel) throws IOException {
        LinkPollers.Poller reader = poller;
        if (reader == null) {
            throw new IllegalStateException("a detached link without its poller");
        }
        Thread writer = Thread.currentThread();
        waitingWriter = writer;
        try {
            reader.execute(() -> {
                SelectionKey registered = key;
                if (registered == null) {
                    writeWanted = true;
                } else if (registered.isValid()) {
                    registered.interestOps(registered.interestOps() | SelectionKey.OP_WRITE);
                } else {
                    LockSupport.unpark(writer);
                }
            });
            if (channel.isOpen()) {
                LockSupport.park(this);
            }
        } finally {
            waitingWriter = null;
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /**
     * Ends a detached connection whose write has waited on the doorbell longer than the write timeout, as
     * Tomcat's timed write ends the others: the writer's write then fails, and the link ends.
     */
    void endStuckWrite() {
        long since = writingSince;
        long timeout = socket().getWriteTimeout();
        if (detached != null && since != 0 && timeout > 0
                && System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(timeout)) {
            discardUnsent();
            close();
        }
    }

    /**
     * Closes the connection through Tomcat, so that Tomcat counts it gone. A detached one's key is cancelled on
     * its poller, whose next select lets the socket go, and its writer, if waiting, is woken to find it closed.
     */
    void close() {
        socket().close();
        Selector tomcats = tomcatSelector;
        if (tomcats != null) {
            tomcats.wakeup();
        }
        LinkPollers.Poller reader = poller;
        if (reader != null) {
            Runnable cancel = () -> {
                SelectionKey registered = key;
                if (registered != null) {
                    registered.cancel();
                }
                endReading(true);
            };
            if (reader.onPollerThread()) {
                cancel.run();
            } else {
                reader.execute(cancel);
            }
        }
        Thread writer = waitingWriter;
        if (writer != null) {
            LockSupport.unpark(writer);
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
}
