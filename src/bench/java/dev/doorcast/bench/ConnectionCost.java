package dev.doorcast.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one connection without credentials can make the server hold (docs/security.md, "What a connection
 * can cost"). For each state such a connection can keep itself in, it opens N of them against the server
 * with the {@code prod} profile, keeps them alive with a byte every 2 s, and measures the heap after a full
 * GC as they are added.
 *
 * <p>{@code ./mvnw -Pbench package -Dbench.mode=connections -Dbench.connections=1000}
 */
final class ConnectionCost {

    private record State(String name, String head, byte keepAlive) {
    }

    /** 85 header lines of 82 bytes: with a request line, a head just under the 8 KB limit. */
    private static final String LARGE_HEADERS = largeHeaders();
    private static final String FORM_POST = "POST /api/v1/stream/camera HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n";
    private static final String LINK_UPGRADE = "GET /api/v1/devices/doorbell/link HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n";
    private static final List<State> STATES = List.of(
            new State("blank lines, never a request line (as an idle keep-alive connection)", "\r\n", (byte) '\n'),
            new State("a 7 KB request head, never finished", "GET /api/v1/stream/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + LARGE_HEADERS + "X-Last: ", (byte) 'v'),
            new State("a form POST refused 401 from its head, body dribbled", FORM_POST + "\r\n", (byte) 'a'),
            new State("the same with a 7 KB head", FORM_POST + LARGE_HEADERS + "\r\n", (byte) 'a'),
            new State("a doorbell link's upgrade with no token, refused 401, then kept alive", LINK_UPGRADE + "\r\n",
                    (byte) '\n'),
            new State("the same with a wrong token", LINK_UPGRADE + "Authorization: Bearer not-the-device-token\r\n\r\n",
                    (byte) '\n'));

    private final Bench bench;
    private final int connections = Integer.getInteger("bench.connections", 1000);

    ConnectionCost(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        int port = Bench.freePort();
        // The never-finished head would be cut after 10 s, before the heap could be measured with it held.
        Process server = bench.start("doorcast", port, "connections", "--spring.profiles.active=prod",
                "--doorcast.security.viewer-token=bench-viewer-token", "--doorcast.http.request-head-timeout=10m");
        try {
            Bench.awaitReady(server, port);
            Bench.sleep(5000);
            System.out.printf("Up to %d connections in each state, heap after a full GC%n%n", connections);
            System.out.println("| state | held | heap MB | held | heap MB | KB per connection added |");
            System.out.println("|---|---|---|---|---|---|");
            for (State state : STATES) {
                measure(server.pid(), port, state);
            }
        } finally {
            Bench.stop(server);
        }
    }

    /**
     * Opens half the connections, measures, opens the rest, measures again, and divides the difference by the
     * connections added. Half first, because Tomcat keeps up to 200 processors and 500 socket buffers of
     * closed connections for reuse: the first connections cost less than the next ones.
     */
    private void measure(long pid, int port, State state) throws Exception {
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        AtomicInteger held = new AtomicInteger();
        // Each read the server waits for must come within its 5 s connection timeout.
        Thread keepingAlive = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Thread.sleep(2000);
                    held.set((int) sockets.stream().filter(socket -> send(socket, state.keepAlive())).count());
                }
            } catch (InterruptedException measured) {
                // Done.
            }
        });
        try {
            open(sockets, port, state, connections / 2);
            Bench.sleep(4500);
            int heldFirst = held.get();
            double first = bench.heapAfterGc(pid);
            open(sockets, port, state, connections - connections / 2);
            Bench.sleep(4500);
            int heldThen = held.get();
            double then = bench.heapAfterGc(pid);
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %d | %.1f | %.0f |%n", state.name(), heldFirst, first,
                    heldThen, then, (then - first) * 1024 / Math.max(1, heldThen - heldFirst));
        } finally {
            keepingAlive.interrupt();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        Bench.sleep(3000);
    }

    private static void open(List<Socket> sockets, int port, State state, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket("127.0.0.1", port);
            socket.getOutputStream().write(state.head().getBytes(StandardCharsets.US_ASCII));
            sockets.add(socket);
        }
    }

    private static boolean send(Socket socket, byte b) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(b);
            out.flush();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    private static String largeHeaders() {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 85; i++) {
            headers.append(String.format(Locale.ROOT, "X-Header-%02d: %s\r\n", i, "v".repeat(67)));
        }
        return headers.toString();
    }
}
