package dev.doorcast.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.ToolProvider;

/**
 * The fan-out benchmark: starts doorcast's jar and, in the same run, the raw-socket baseline, puts the same
 * load on each (a device at 5 fps, N viewers, M listeners) and prints what each delivered and what it cost.
 * Settings are system properties ({@code bench.*}, see {@link #main}); run through {@code ./mvnw -Pbench}.
 */
public final class Bench {

    static final String TOKEN = "bench-device-token";

    record Point(String target, int asked, int viewers, int listeners, Load.Admission admission, double delivery,
            double worstViewer, int under99, int lost, double p50, double p99, double p999, double max,
            double postP99, long postErrors, double cpuCores, double cpuMicrosPerFrame, double cpuMsPerMb,
            double rssMb, double heapBaseMb, double heapIdleMb, double heapStreamMb, double rssBaseMb,
            double rssIdleMb, double audioDelivery, double clientCores, double machineBusy) {

        double idleKbPerViewer() {
            int n = viewers + listeners;
            return n == 0 ? Double.NaN : (heapIdleMb - heapBaseMb) * 1024 / n;
        }

        double idleRssKbPerViewer() {
            int n = viewers + listeners;
            return n == 0 ? Double.NaN : (rssIdleMb - rssBaseMb) * 1024 / n;
        }

        double streamKbPerViewer() {
            int n = viewers + listeners;
            return n == 0 ? Double.NaN : (heapStreamMb - heapBaseMb) * 1024 / n;
        }

        double streamRssKbPerViewer() {
            int n = viewers + listeners;
            return n == 0 ? Double.NaN : (rssMb - rssBaseMb) * 1024 / n;
        }
    }

    private Path jar;
    final Path out;
    private final String java = ProcessHandle.current().info().command().orElse("java");
    private final List<String> serverJvm;
    final int seconds;
    private final int listeners;
    final int frameBytes;
    final int readerThreads;
    private Path baselineClasses;

    Bench() {
        jar = Path.of(System.getProperty("bench.jar", "target/doorcast.jar"));
        out = Path.of(System.getProperty("bench.out", "target/bench"));
        serverJvm = Arrays.asList(System.getProperty("bench.jvm", "-Xmx4g -XX:+UseG1GC").trim().split("\\s+"));
        seconds = Integer.getInteger("bench.seconds", 20);
        listeners = Integer.getInteger("bench.listeners", 100);
        frameBytes = Integer.getInteger("bench.frame-kb", 9) * 1024;
        readerThreads = Integer.getInteger("bench.readers", 2);
    }

    /**
     * {@code bench.mode}: {@code fanout} (default), {@code slow}, {@code soak}, {@code relay}, {@code connections},
     * {@code footprint} or {@code doorbells}. {@code bench.viewers}: viewer counts,
     * comma-separated; {@code bench.targets}: {@code doorcast,baseline} (and {@code compare}: the jar of
     * {@code bench.compare-jar}, such as main's build); {@code bench.seconds} measured per
     * point; {@code bench.listeners}; {@code bench.frame-kb}; {@code bench.jvm}: the servers' JVM flags.
     */
    public static void main(String[] args) throws Exception {
        Bench bench = new Bench();
        Files.createDirectories(bench.out);
        bench.compileBaseline();
        // A copy, so that a build during a long run cannot change the jar under a running server.
        Path copy = bench.out.resolve("doorcast-under-test.jar");
        Files.copy(bench.jar, copy, StandardCopyOption.REPLACE_EXISTING);
        bench.jar = copy;
        String mode = System.getProperty("bench.mode", "fanout");
        System.out.printf("%s  doorcast bench, mode %s; java %s; %d cores; load before start: %s%n",
                Instant.now(), mode, Runtime.version(), Runtime.getRuntime().availableProcessors(), loadAverage());
        if (mode.equals("slow")) {
            bench.slow();
        } else if (mode.equals("soak")) {
            new Soak(bench).run();
        } else if (mode.equals("relay")) {
            new RelayBench(bench).run();
        } else if (mode.equals("connections")) {
            new ConnectionCost(bench).run();
        } else if (mode.equals("footprint")) {
            new Footprint(bench).run();
        } else if (mode.equals("doorbells")) {
            new DoorbellsBench(bench).run();
        } else {
            bench.fanout();
        }
    }

    // ---- fan-out ---------------------------------------------------------------------------------------

    private void fanout() throws Exception {
        int[] counts = Arrays.stream(System.getProperty("bench.viewers", "0,100,1000,2000").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        List<String> targets = List.of(System.getProperty("bench.targets", "doorcast,baseline").split(","));
        requireDescriptors(Arrays.stream(counts).max().orElse(0) + listeners);
        List<Point> points = new ArrayList<>();
        System.out.println(header());
        for (int n : counts) {
            for (String target : targets) {
                Point p = point(target.trim(), n, n == 0 ? 0 : listeners);
                points.add(p);
                System.out.println(row(p));
                Files.writeString(out.resolve("results.md"), report(points, counts));
            }
        }
        System.out.println();
        System.out.println(report(points, counts));
        Files.writeString(out.resolve("fanout.svg"), Chart.svg(points));
        System.out.println("Wrote " + out.resolve("results.md") + " and " + out.resolve("fanout.svg"));
    }

    private Point point(String target, int viewers, int listenerCount) throws Exception {
        int port = freePort();
        Process server = start(target, port, "fanout-" + target + "-" + viewers);
        try (Load load = new Load(port, TOKEN, frameBytes, readerThreads)) {
            long pid = server.pid();
            awaitReady(server, port);
            load.resume();
            sleep(3000); // JIT warm-up of the ingest path, and the first frame for viewers to get on connect
            load.pause();
            double heapBase = heapAfterGc(pid);
            double rssBase = rssMb(pid);
            Load.Admission admission = load.connect(viewers, listenerCount, 120_000);
            sleep(2500);
            double heapIdle = heapAfterGc(pid);
            double rssIdle = rssMb(pid);
            load.resume();
            sleep(4000);
            long[] cpu0 = cpuTicks(pid);
            long client0 = cpuTicks(ProcessHandle.current().pid())[0];
            long[] machine0 = machineTicks();
            long t0 = System.nanoTime();
            load.startWindow();
            sleep(seconds * 1000L);
            long lastSeq = load.endWindow();
            double wall = (System.nanoTime() - t0) / 1e9;
            long[] cpu1 = cpuTicks(pid);
            long client1 = cpuTicks(ProcessHandle.current().pid())[0];
            long[] machine1 = machineTicks();
            long audioChunks = load.audioSent();
            double rss = rssMb(pid);
            sleep(1500); // the last frames of the window reach their viewers
            double heapStream = heapAfterGc(pid);
            load.pause();
            Load.ViewerResult r = load.viewerResult(lastSeq);
            double cpuSeconds = (cpu1[0] - cpu0[0]) / 100.0;
            long frames = r.delivered();
            double mb = frames * (frameBytes + 120) / 1e6 + r.audioBytes() / 1e6;
            double busy = 1.0 - (double) (machine1[1] - machine0[1]) / Math.max(1, machine1[0] - machine0[0]);
            return new Point(target, viewers, r.viewers(), r.listeners(), admission,
                    r.expected() == 0 || r.viewers() == 0 ? Double.NaN
                            : (double) r.delivered() / (r.expected() * (double) r.viewers()),
                    r.expected() == 0 || r.viewers() == 0 ? Double.NaN : (double) r.worstViewer() / r.expected(),
                    r.under99(), r.lostDuringRun(),
                    r.latency().percentileMillis(50), r.latency().percentileMillis(99),
                    r.latency().percentileMillis(99.9), r.latency().maxMillis(),
                    load.postLatency().percentileMillis(99), load.postErrors(),
                    cpuSeconds / wall, frames == 0 ? Double.NaN : cpuSeconds * 1e6 / frames,
                    mb == 0 ? Double.NaN : cpuSeconds * 1000 / mb,
                    rss, heapBase, heapIdle, heapStream, rssBase, rssIdle,
                    r.listeners() == 0 || audioChunks == 0 ? Double.NaN
                            : r.audioBytes() / (double) (audioChunks * Load.AUDIO_CHUNK * r.listeners()),
                    (client1 - client0) / 100.0 / wall, busy);
        } finally {
            stop(server);
        }
    }

    // ---- slow viewers ----------------------------------------------------------------------------------

    /**
     * Readers alone, then readers with viewers that never read, on large frames; doorcast only (the baseline
     * has no answer to stuck viewers but the kernel's buffers). Reports the readers' latency in both halves,
     * heap after GC as it goes, and how many stuck viewers the server still holds at the end.
     */
    private void slow() throws Exception {
        int readers = Integer.getInteger("bench.viewers", 200);
        int stuck = Integer.getInteger("bench.stuck", 200);
        requireDescriptors(readers + stuck + listeners);
        int port = freePort();
        Process server = start("doorcast", port, "slow");
        try (Load load = new Load(port, TOKEN, frameBytes, readerThreads)) {
            long pid = server.pid();
            awaitReady(server, port);
            load.resume();
            load.connect(readers, listeners, 60_000);
            sleep(3000);
            System.out.printf("slow-viewer test: %d KB frames, %d readers, %d listeners, %d s per half%n",
                    frameBytes / 1024, readers, listeners, seconds);
            String without = slowHalf(load, pid, port, "without stuck viewers");
            load.connectStuck(stuck);
            System.out.printf("connected %d viewers that never read%n", stuck);
            String with = slowHalf(load, pid, port, "with " + stuck + " stuck viewers");
            String report = "| phase | readers' delivery | p50 ms | p99 ms | max ms | device POST p99 ms "
                    + "| heap after GC / camera viewers held, every 10 s | RSS MB | viewersStalled (stats) "
                    + "| framesDropped (stats) |\n|---|---|---|---|---|---|---|---|---|---|\n" + without + with;
            System.out.println(report);
            Files.writeString(out.resolve("slow.md"), report);
        } finally {
            stop(server);
        }
    }

    private String slowHalf(Load load, long pid, int port, String phase) throws Exception {
        load.startWindow();
        List<String> heaps = new ArrayList<>();
        for (int s = 0; s < seconds; s += 10) {
            sleep(Math.min(10, seconds - s) * 1000L);
            heaps.add(String.format(Locale.ROOT, "%.0f MB / %s", heapAfterGc(pid),
                    field(httpGet(port, "/api/v1/stream/stats"), "videoClientsConnected")));
        }
        long last = load.endWindow();
        sleep(1500);
        Load.ViewerResult r = load.viewerResult(last);
        String stats = httpGet(port, "/api/v1/stream/stats");
        String line = String.format(Locale.ROOT, "| %s | %.4f | %.1f | %.1f | %.1f | %.1f | %s | %.0f | %s | %s |%n",
                phase, (double) r.delivered() / Math.max(1, r.expected() * (double) r.viewers()),
                r.latency().percentileMillis(50), r.latency().percentileMillis(99), r.latency().maxMillis(),
                load.postLatency().percentileMillis(99), String.join(" → ", heaps), rssMb(pid),
                field(stats, "viewersStalled"), field(stats, "framesDropped"));
        System.out.print(line);
        return line;
    }

    // ---- servers ---------------------------------------------------------------------------------------

    String java() {
        return java;
    }

    Path jar() {
        return jar;
    }

    Path baselineClasses() {
        return baselineClasses;
    }

    Process start(String target, int port, String name, String... settings) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(serverJvm);
        if (target.equals("doorcast") || target.equals("compare")) {
            // "compare": another build of doorcast (bench.compare-jar), such as main's, measured in the same run.
            Path which = target.equals("doorcast") ? jar : Path.of(System.getProperty("bench.compare-jar"));
            cmd.addAll(List.of("-jar", which.toString(), "--doorcast.demo.enabled=false",
                    "--doorcast.security.device-token=" + TOKEN, "--server.port=" + port,
                    // Every simulated viewer comes from this one address: no per-client cap.
                    "--doorcast.limits.max-streams-per-client=0", "--logging.level.root=WARN"));
            cmd.addAll(List.of(settings));
        } else {
            cmd.addAll(List.of("-cp", baselineClasses.toString(), RawFanout.class.getName(), Integer.toString(port)));
        }
        Path log = out.resolve(name + ".log");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Compiles the baseline on its own, so that its JVM carries no compiler (source launch would). */
    private void compileBaseline() throws IOException {
        baselineClasses = out.resolve("baseline-classes");
        Files.createDirectories(baselineClasses);
        Path source = Path.of(System.getProperty("bench.src", "src/bench/java"),
                "dev/doorcast/bench/RawFanout.java");
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", baselineClasses.toString(),
                source.toString());
        if (rc != 0) {
            throw new IllegalStateException("baseline did not compile");
        }
    }

    static void awaitReady(Process server, int port) {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("server exited with " + server.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        throw new IllegalStateException("server did not listen within 90 s");
    }

    static void stop(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(15, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    // ---- what the servers cost -------------------------------------------------------------------------

    /** utime+stime, then, in clock ticks (100 per second on Linux). */
    static long[] cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12])};
    }

    /** All ticks and idle ticks of the whole machine. */
    static long[] machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    static double rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** Heap in use right after a full GC, MB, by jcmd from the same JDK. */
    double heapAfterGc(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(java).resolveSibling("jcmd");
        run(jcmd.toString(), Long.toString(pid), "GC.run");
        String info = run(jcmd.toString(), Long.toString(pid), "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return text;
    }

    static void requireDescriptors(int connections) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                long soft = Long.parseLong(line.substring(26).trim().split("\\s+")[0]);
                if (soft < connections + 500L) {
                    throw new IllegalStateException("This needs " + (connections + 500) + " open files per process; "
                            + "the limit is " + soft + ". Raise it in this shell first: ulimit -n "
                            + (connections + 1000));
                }
            }
        }
    }

    private static String httpGet(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream o = s.getOutputStream();
            o.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes());
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static void sleep(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    // ---- report ----------------------------------------------------------------------------------------

    private static String header() {
        return "| target | viewers | listeners | admitted/503/failed | delivery | worst viewer | viewers <99% | closed by server | p50 ms "
                + "| p99 ms | p99.9 ms | max ms | device POST p99 ms (errors) | server CPU (cores) | µs CPU per frame "
                + "| ms CPU per MB | RSS MB | heap/viewer idle KB | heap/viewer streaming KB | RSS/viewer KB "
                + "| audio delivery | load client CPU | machine busy |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
    }

    private static String row(Point p) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d/%d/%d | %.4f | %.3f | %d | %d | %.1f | %.1f | %.1f | %.1f "
                        + "| %.1f (%d) | %.2f | %.1f | %.2f | %.0f | %.1f | %.1f | %.1f | %.3f | %.2f | %.0f%% |",
                p.target(), p.asked(), p.listeners(), p.admission().ok(), p.admission().refused(),
                p.admission().failed(), p.delivery(), p.worstViewer(), p.under99(), p.lost(), p.p50(), p.p99(), p.p999(),
                p.max(), p.postP99(), p.postErrors(), p.cpuCores(), p.cpuMicrosPerFrame(), p.cpuMsPerMb(), p.rssMb(),
                p.idleKbPerViewer(), p.streamKbPerViewer(), p.streamRssKbPerViewer(), p.audioDelivery(),
                p.clientCores(), p.machineBusy() * 100);
    }

    private static String report(List<Point> points, int[] counts) {
        StringBuilder sb = new StringBuilder(header()).append('\n');
        points.forEach(p -> sb.append(row(p)).append('\n'));
        sb.append("\n| viewers | doorcast ÷ baseline, CPU per delivered MB | doorcast ÷ baseline, p99 |\n|---|---|---|\n");
        for (int n : counts) {
            Point d = find(points, "doorcast", n);
            Point b = find(points, "baseline", n);
            if (d != null && b != null && n > 0) {
                sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f |%n", n, d.cpuMsPerMb() / b.cpuMsPerMb(),
                        d.p99() / b.p99()));
            }
        }
        return sb.toString();
    }

    static Point find(List<Point> points, String target, int viewersAsked) {
        for (Point p : points) {
            if (p.target().equals(target) && p.asked() == viewersAsked) {
                return p;
            }
        }
        return null;
    }
}
