package dev.doorcast.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The endurance run: the device at 5 fps with audio, and a few hundred viewers that keep coming and going
 * the ways real ones do (watch a while and leave, vanish with a reset, freeze without reading, listen to
 * the audio), for half an hour or more. It samples the server every minute, after a full GC, and prints
 * heap, RSS, threads and file descriptors: a server that leaks anything shows a rising column.
 *
 * <p>{@code ./mvnw -Pbench package -Dbench.mode=soak -Dbench.minutes=30 -Dbench.churners=300}
 */
final class Soak {

    private final Bench bench;
    private final int minutes = Integer.getInteger("bench.minutes", 30);
    private final int churners = Integer.getInteger("bench.churners", 300);
    private final LongAdder sessions = new LongAdder();
    private final LongAdder partsRead = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private volatile boolean running = true;

    Soak(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        int port = Bench.freePort();
        Process server = bench.start("doorcast", port, "soak");
        try {
            Bench.awaitReady(server, port);
            try (Load device = new Load(port, Bench.TOKEN, 9 * 1024, 1)) {
                device.resume();
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < churners; i++) {
                    threads.add(Thread.ofVirtual().start(() -> churn(port)));
                }
                System.out.printf("%s  soak: %d churning viewers for %d min against pid %d%n",
                        Instant.now(), churners, minutes, server.pid());
                System.out.println("minute | sessions | parts read | refused | heap after GC MB | RSS MB | threads | fds");
                long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
                for (int minute = 0; ; minute++) {
                    sample(server.pid(), minute);
                    if (System.nanoTime() >= end) {
                        break;
                    }
                    Thread.sleep(Math.min(60_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                }
                running = false;
                for (Thread t : threads) {
                    t.join(Duration.ofSeconds(30));
                }
            }
            // Everyone gone: what is left is what the server keeps for nobody.
            Thread.sleep(3000);
            System.out.println("after all viewers left:");
            sample(server.pid(), minutes);
        } finally {
            Bench.stop(server);
        }
    }

    /** One viewer after another, each behaving in one of the ways real ones do. */
    private void churn(int port) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running) {
            int kind = random.nextInt(10);
            String path = kind < 2 ? "/api/v1/stream/audio" : "/api/v1/stream/camera";
            long watchMillis = random.nextLong(2_000, 30_000);
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(15_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sessions.increment();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[16 * 1024];
                long until = System.currentTimeMillis() + watchMillis;
                if (kind == 9) {
                    // Frozen: asks, then never reads, until it gives up.
                    Bench.sleep(Math.min(watchMillis, 20_000));
                } else {
                    int first = in.read(buffer);
                    if (first > 12 && new String(buffer, 9, 3, StandardCharsets.US_ASCII).equals("503")) {
                        refused.increment();
                    }
                    while (running && System.currentTimeMillis() < until && in.read(buffer) > 0) {
                        partsRead.increment();
                    }
                }
                if (kind == 8) {
                    // Vanishes: a reset, as a killed process or a dropped link.
                    socket.setSoLinger(true, 0);
                }
            } catch (IOException e) {
                Bench.sleep(200);
            }
        }
    }

    private void sample(long pid, int minute) throws IOException, InterruptedException {
        double heap = bench.heapAfterGc(pid);
        long threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        long fds;
        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = list.count();
        }
        System.out.printf("%6d | %8d | %10d | %7d | %16.1f | %6.1f | %7d | %d%n", minute, sessions.sum(),
                partsRead.sum(), refused.sum(), heap, Bench.rssMb(pid), threads, fds);
    }

}
