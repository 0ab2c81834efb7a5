package dev.doorcast.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What the Redis relay adds: the device posts to instance A, viewers watch on instance B, and the same
 * viewers watch on A directly in the same run. Prints delivery and latency both ways, the p99 the relay
 * adds, and Redis's CPU per relayed frame.
 *
 * <p>{@code ./mvnw -Pbench package -Dbench.mode=relay -Dbench.viewers=100,1000 -Dbench.listeners=0}
 */
final class RelayBench {

    private final Bench bench;

    RelayBench(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        int[] counts = Arrays.stream(System.getProperty("bench.viewers", "100,1000").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        int redisPort = Bench.freePort();
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(bench.out.resolve("redis.log").toFile()).start();
        // Both instances sign and check every message with the same secret, new for every run.
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String[] relay = {"--doorcast.relay.type=redis", "--spring.data.redis.url=redis://127.0.0.1:" + redisPort,
                "--doorcast.relay.secret=" + HexFormat.of().formatHex(secret)};
        int portA = Bench.freePort();
        int portB = Bench.freePort();
        Process a = bench.start("doorcast", portA, "relay-a", relay);
        Process b = bench.start("doorcast", portB, "relay-b", relay);
        try {
            awaitPort(redisPort);
            Bench.awaitReady(a, portA);
            Bench.awaitReady(b, portB);
            System.out.printf("%s  relay: device on A, viewers on A (direct) and on B (through Redis)%n",
                    Instant.now());
            System.out.println("| viewers | path | delivery | p50 ms | p99 ms | max ms | Redis CPU µs per frame (with its 3 audio chunks) |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (int n : counts) {
                double direct = measure(portA, portA, n, "A (direct)", redis.pid());
                double relayed = measure(portA, portB, n, "B (relayed)", redis.pid());
                System.out.printf(Locale.ROOT, "| %d | relay adds | | | %.1f | | |%n", n, relayed - direct);
            }
        } finally {
            Bench.stop(a);
            Bench.stop(b);
            Bench.stop(redis);
        }
    }

    /** One window of {@code bench.seconds}; returns the p99 in ms. */
    private double measure(int devicePort, int viewerPort, int viewers, String path, long redisPid)
            throws Exception {
        try (Load load = new Load(devicePort, viewerPort, Bench.TOKEN, bench.frameBytes, bench.readerThreads)) {
            load.resume();
            Bench.sleep(3000);
            load.connect(viewers, 0, 120_000);
            Bench.sleep(3000);
            long redis0 = Bench.cpuTicks(redisPid)[0];
            load.startWindow();
            Bench.sleep(bench.seconds * 1000L);
            long lastSeq = load.endWindow();
            long redis1 = Bench.cpuTicks(redisPid)[0];
            Bench.sleep(1500);
            load.pause();
            Load.ViewerResult r = load.viewerResult(lastSeq);
            double delivery = r.expected() == 0 || r.viewers() == 0 ? Double.NaN
                    : (double) r.delivered() / (r.expected() * (double) r.viewers());
            double redisMicrosPerFrame = r.expected() == 0 ? Double.NaN
                    : (redis1 - redis0) * 10_000.0 / r.expected();
            double p99 = r.latency().percentileMillis(99);
            System.out.printf(Locale.ROOT, "| %d | %s | %.4f | %.1f | %.1f | %.1f | %.0f |%n", viewers, path, delivery,
                    r.latency().percentileMillis(50), p99, r.latency().maxMillis(), redisMicrosPerFrame);
            return p99;
        }
    }

    private static void awaitPort(int port) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Bench.sleep(100);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port);
    }
}
