package dev.doorcast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A network between a client and a server, as this kernel has no netem: a TCP proxy on loopback that delays
 * every byte by half the round trip each way and, if asked, lets the client's bytes up no faster than a given
 * rate. Like a real link it holds a bounded queue: a sender faster than the uplink is slowed by TCP's own
 * back-pressure, not buffered without end.
 */
public final class LinkEmulator implements AutoCloseable {

    /** What a slow uplink holds before the sender must wait: about a second at 400 kbit/s. */
    private static final int QUEUE_BYTES = 48 * 1024;

    private final ServerSocket listener;
    private final int targetPort;
    private final long oneWayNanos;
    private final long uplinkBitsPerSecond;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /**
     * @param roundTrip added to every round trip, half each way
     * @param uplinkBitsPerSecond the client-to-server rate, 0 for no limit
     */
    public LinkEmulator(int targetPort, Duration roundTrip, long uplinkBitsPerSecond) throws IOException {
        this.listener = new ServerSocket();
        // A small window, as a real path's: loopback's would let megabytes in before a sender feels the line.
        listener.setReceiveBufferSize(16 * 1024);
        listener.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.targetPort = targetPort;
        this.oneWayNanos = roundTrip.toNanos() / 2;
        this.uplinkBitsPerSecond = uplinkBitsPerSecond;
        Thread.ofVirtual().start(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                pipe(client, server, uplinkBitsPerSecond);
                pipe(server, client, 0);
            }
        } catch (IOException closed) {
            // The emulator was closed.
        }
    }

    /** One direction: a reader that stamps what arrives, a writer that lets it out when its time comes. */
    private void pipe(Socket from, Socket to, long bitsPerSecond) {
        record Chunk(byte[] bytes, long due) {
        }
        Deque<Chunk> queue = new ArrayDeque<>();
        int[] queued = {0};
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[8192];
            long lineFreeAt = 0;
            try (InputStream in = from.getInputStream()) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    long now = System.nanoTime();
                    long due = now + oneWayNanos;
                    if (bitsPerSecond > 0) {
                        // The bytes leave the sender's side of the line one after another at the line's rate.
                        long start = Math.max(now, lineFreeAt);
                        lineFreeAt = start + read * 8L * 1_000_000_000L / bitsPerSecond;
                        due = lineFreeAt + oneWayNanos;
                    }
                    synchronized (queue) {
                        while (queued[0] + read > QUEUE_BYTES && !queue.isEmpty()) {
                            queue.wait();
                        }
                        queue.addLast(new Chunk(Arrays.copyOf(buffer, read), due));
                        queued[0] += read;
                        queue.notifyAll();
                    }
                }
            } catch (IOException | InterruptedException ended) {
                // The connection or the emulator was closed.
            }
            synchronized (queue) {
                queue.addLast(new Chunk(null, 0));
                queue.notifyAll();
            }
        });
        Thread.ofVirtual().start(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk next;
                    synchronized (queue) {
                        while (queue.isEmpty()) {
                            queue.wait();
                        }
                        next = queue.peekFirst();
                    }
                    if (next.bytes() == null) {
                        to.shutdownOutput();
                        return;
                    }
                    long wait = next.due() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait)); // the line's own delay
                    }
                    out.write(next.bytes());
                    out.flush();
                    synchronized (queue) {
                        queue.removeFirst();
                        queued[0] -= next.bytes().length;
                        queue.notifyAll();
                    }
                }
            } catch (IOException | InterruptedException ended) {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(LinkEmulator::closeQuietly);
    }
}
