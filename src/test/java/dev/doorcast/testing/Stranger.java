package dev.doorcast.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A client with no credentials on a raw socket, for attacks that a well-behaved HTTP client cannot make:
 * a body far longer than it will ever send, sent as slowly or as fast as it likes. It reads whatever the
 * server answers on a thread of its own, so that the test can tell an answer from a close.
 */
public final class Stranger implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final ByteArrayOutputStream answer = new ByteArrayOutputStream();
    private volatile boolean closedByServer;

    private Stranger(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        Thread.ofVirtual().name("stranger-reader").start(this::readAnswer);
    }

    /** Connects and sends {@code head}: a request line and headers, up to and including the blank line. */
    public static Stranger send(int port, String head) throws IOException {
        Stranger stranger = new Stranger(new Socket("127.0.0.1", port));
        stranger.out.write(head.getBytes(StandardCharsets.US_ASCII));
        stranger.out.flush();
        return stranger;
    }

    /**
     * Sends body bytes as fast as the server takes them, until {@code length} are sent, the server answers
     * or closes, or {@code limit} has passed (then the socket is closed); returns how many were sent.
     */
    public long stream(long length, Duration limit) {
        CompletableFuture.runAsync(this::closeQuietly,
                CompletableFuture.delayedExecutor(limit.toMillis(), TimeUnit.MILLISECONDS));
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        long sent = 0;
        try {
            while (sent < length && !answered() && !closedByServer) {
                int n = (int) Math.min(chunk.length, length - sent);
                out.write(chunk, 0, n);
                sent += n;
            }
        } catch (IOException closed) {
            // The server closed the connection (or the time limit did): what was sent is the result.
        }
        return sent;
    }

    /** Sends one more body byte; false once the connection is closed. */
    public boolean dribble() {
        try {
            out.write('a');
            out.flush();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /** The start of the server's answer, or null while there is none. */
    public @Nullable String answer() {
        synchronized (answer) {
            return answer.size() == 0 ? null : answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    public boolean answered() {
        return answer() != null;
    }

    /** Whether the server ended the connection (an orderly close or a reset). */
    public boolean closedByServer() {
        return closedByServer;
    }

    private void readAnswer() {
        byte[] buffer = new byte[4096];
        try {
            InputStream in = socket.getInputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                synchronized (answer) {
                    // The status line and headers are enough; a body could be anything.
                    answer.write(buffer, 0, Math.min(n, Math.max(0, 1024 - answer.size())));
                }
            }
            closedByServer = true;
        } catch (IOException e) {
            closedByServer = !socket.isClosed();
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all that was wanted.
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
