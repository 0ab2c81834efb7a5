package dev.doorcast.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The footprint benchmark: each server fresh, inside a memory cgroup the size of a small container, with the
 * JVM options the Dockerfile ships. The device starts posting the moment the server serves, and the viewers
 * and listeners of each step connect all at once. For every step it reports the cgroup's usage (idle, after,
 * peak), the usage per connection, GC pauses from the server's own GC log, latency and delivery in two windows
 * (5-35 s after the step connected, then the 30 s after that), CPU per delivered frame, and whether the kernel
 * killed the server.
 *
 * <p>{@code ./mvnw -B -Pbench package -Dbench.mode=footprint -Dbench.memory=256m -Dbench.viewers=2000}
 *
 * <p>With {@code -Dbench.starts=N} it measures start alone instead: each target started N times in turn in
 * the cgroup, from {@code exec} to the first answer, and the medians against the baseline's (a JVM that only
 * opens a socket: the floor any Java server starts from on this machine).
 */
final class Footprint {

    private static final Pattern PAUSE = Pattern.compile(
            "^\\[(\\d+\\.\\d+)s\\].*Pause (Young|Full|Remark|Cleanup)\\b.* (\\d+\\.\\d+)ms$");

    private final Bench bench;
    private final List<Long> memories;
    private final int[] steps;
    private final List<String> targets;
    private final int listeners;
    private final int window;
    private final String jvmOptions;
    private final List<String> serverSettings;
    private final boolean aot;
    private final boolean histogram = Boolean.getBoolean("bench.histogram");
    private final int starts = Integer.getInteger("bench.starts", 0);
    private final List<String> rows = new ArrayList<>();
    private Path app;
    private Path aotCache;
    private Path compareApp;
    private Path compareCache;
    private double liveBase = Double.NaN;

    Footprint(Bench bench) throws IOException {
        this.bench = bench;
        this.memories = Arrays.stream(System.getProperty("bench.memory", "256m").split(","))
                .map(String::trim).map(Footprint::bytes).toList();
        this.steps = Arrays.stream(System.getProperty("bench.viewers", "2000").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).filter(n -> n > 0).toArray();
        this.targets = Arrays.stream(System.getProperty("bench.targets", "doorcast").split(","))
                .map(String::trim).toList();
        this.listeners = Integer.getInteger("bench.listeners", 100);
        this.window = Integer.getInteger("bench.window", 30);
        Dockerfile dockerfile = Dockerfile.read(Path.of(System.getProperty("bench.dockerfile", "Dockerfile")));
        String jvm = System.getProperty("bench.footprint-jvm", "").trim();
        this.jvmOptions = jvm.isEmpty() ? dockerfile.javaToolOptions() : jvm;
        String aotSetting = System.getProperty("bench.aot", "auto");
        this.aot = aotSetting.equals("auto") ? dockerfile.usesAotCache() : Boolean.parseBoolean(aotSetting);
        String extra = System.getProperty("bench.server-args", "").trim();
        this.serverSettings = extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    }

    void run() throws Exception {
        int most = Arrays.stream(steps).max().orElse(0) + listeners;
        Bench.requireDescriptors(most);
        Cgroup.create("doorcast-bench-probe-" + ProcessHandle.current().pid(), 1L << 30).close();
        System.out.printf("footprint: memory %s, steps %s (+%d listeners), targets %s, doorbell at %s fps%nJVM options "
                        + "(as the Dockerfile's JAVA_TOOL_OPTIONS): %s%nAOT cache: %s%n",
                System.getProperty("bench.memory", "256m"), Arrays.toString(steps), listeners, targets,
                System.getProperty("bench.device-fps", "5"), jvmOptions, aot ? "used, as the Dockerfile does" : "not used");
        if (targets.contains("doorcast")) {
            Path reused = bench.out.resolve("footprint-app/doorcast.aot");
            if (aot && Boolean.getBoolean("bench.aot-reuse") && Files.exists(reused)) {
                app = jarIn(reused.getParent());
                aotCache = reused;
                System.out.println("AOT cache reused from an earlier run: " + reused);
            } else {
                app = extract(bench.jar(), "footprint-app");
                if (aot) {
                    aotCache = train(app);
                }
            }
        }
        if (targets.contains("compare")) {
            // Another build of doorcast (bench.compare-jar, such as main's), extracted and trained the same way.
            compareApp = extract(Path.of(System.getProperty("bench.compare-jar")), "footprint-compare");
            if (aot) {
                compareCache = train(compareApp);
            }
        }
        if (starts > 0) {
            measureStarts();
            return;
        }
        System.out.println(header());
        for (long memory : memories) {
            for (String target : targets) {
                if (target.equals("node") && !NodeSeed.available(bench.out)) {
                    continue;
                }
                runOne(memory, target);
                Files.writeString(bench.out.resolve("footprint.md"), header() + "\n" + String.join("\n", rows) + "\n");
            }
        }
        System.out.println();
        System.out.println(header());
        rows.forEach(System.out::println);
        System.out.println("Wrote " + bench.out.resolve("footprint.md"));
    }

    /** The jar in the extracted form the Dockerfile runs (what an AOT cache needs). */
    private Path extract(Path jar, String name) throws IOException, InterruptedException {
        Path dir = bench.out.resolve(name);
        deleteTree(dir);
        Process p = new ProcessBuilder(bench.java(), "-Djarmode=tools", "-jar", jar.toString(), "extract",
                "--destination", dir.toString()).redirectErrorStream(true)
                .redirectOutput(bench.out.resolve("extract.log").toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("extracting the jar failed; see " + bench.out.resolve("extract.log"));
        }
        return jarIn(dir);
    }

    private static Path jarIn(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
    }

    /**
     * Drops the page cache of the files the server maps and reads (the jars, the AOT cache), so that what it
     * touches of them is charged to its own cgroup, as in a container starting from its image, and not to
     * the bench's, which wrote them.
     */
    private void uncache(Path app) throws IOException, InterruptedException {
        List<Path> files = new ArrayList<>();
        try (var all = Files.walk(app.getParent())) {
            all.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path f : files) {
            new ProcessBuilder("sync", f.toString()).start().waitFor();
            new ProcessBuilder("dd", "if=" + f, "iflag=nocache", "count=0", "status=none").start().waitFor();
        }
    }

    /** The AOT cache from the same training run as the Dockerfile's, with the same JVM options. */
    private Path train(Path jar) throws IOException, InterruptedException {
        Path cache = jar.resolveSibling("doorcast.aot");
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder("sh", "src/main/docker/train-aot-cache.sh", jar.toString(),
                cache.toString()).redirectErrorStream(true).redirectOutput(bench.out.resolve("aot-training.log").toFile());
        pb.environment().put("JAVA_TOOL_OPTIONS", jvmOptions);
        pb.environment().put("TRAINING_PORT", Integer.toString(Bench.freePort()));
        pb.environment().put("PATH", Path.of(bench.java()).getParent() + ":" + System.getenv("PATH"));
        Process p = pb.start();
        if (p.waitFor() != 0 || !Files.exists(cache)) {
            throw new IllegalStateException("AOT training failed; see " + bench.out.resolve("aot-training.log"));
        }
        System.out.printf(Locale.ROOT, "AOT cache trained in %.0f s: %s, %.0f MB%n", (System.nanoTime() - t0) / 1e9,
                cache, Files.size(cache) / 1048576.0);
        return cache;
    }

    /**
     * Start alone: every target started {@code starts} times, in turn so that a noisy minute falls on all of
     * them, each in a fresh cgroup with the page cache of its files dropped, stopped once it answered. Beside
     * the wall time it reports the CPU time the process had used by then (all its threads): on a shared
     * machine the wall time moves with what the neighbours do, the CPU time much less.
     */
    private void measureStarts() throws Exception {
        String header = "| cgroup limit | server | starts | exec to first answer, s: median | min | max "
                + "| CPU s used by then: median | each (wall / CPU) |\n|---|---|---|---|---|---|---|---|";
        System.out.println(header);
        for (long memory : memories) {
            Map<String, List<double[]>> runs = new LinkedHashMap<>();
            for (int i = 0; i < starts; i++) {
                for (String target : targets) {
                    runs.computeIfAbsent(target, t -> new ArrayList<>()).add(startOnce(memory, target));
                }
            }
            Map<String, double[]> medians = new LinkedHashMap<>();
            for (var entry : runs.entrySet()) {
                List<Double> wall = entry.getValue().stream().map(r -> r[0]).sorted().toList();
                List<Double> cpu = entry.getValue().stream().map(r -> r[1]).sorted().toList();
                medians.put(entry.getKey(), new double[] {median(wall), median(cpu)});
                print(String.format(Locale.ROOT, "| %d MB | %s | %d | %.2f | %.2f | %.2f | %.2f | %s |", memory >> 20,
                        entry.getKey(), wall.size(), median(wall), wall.getFirst(), wall.getLast(), median(cpu),
                        entry.getValue().stream()
                                .map(r -> String.format(Locale.ROOT, "%.2f / %.2f", r[0], r[1])).toList()));
            }
            double[] doorcast = medians.get("doorcast");
            double[] compare = medians.get("compare");
            double[] baseline = medians.get("baseline");
            if (doorcast != null && compare != null) {
                print(String.format(Locale.ROOT, "%d MB: doorcast against the compared build, medians: wall %.2fx "
                                + "(%.2f against %.2f s), CPU %.2fx (%.2f against %.2f s)", memory >> 20,
                        doorcast[0] / compare[0], doorcast[0], compare[0], doorcast[1] / compare[1], doorcast[1],
                        compare[1]));
            }
            if (doorcast != null && baseline != null) {
                print(String.format(Locale.ROOT, "%d MB: doorcast's median start is %.2f s, the baseline's (a JVM "
                                + "that only opens a socket) %.2f s: %.2f s of it is doorcast's own", memory >> 20,
                        doorcast[0], baseline[0], doorcast[0] - baseline[0]));
            }
        }
        Files.writeString(bench.out.resolve("footprint-starts.md"), header + "\n" + String.join("\n", rows) + "\n");
        System.out.println("Wrote " + bench.out.resolve("footprint-starts.md"));
    }

    /** One start: seconds from exec to the first answer, and the CPU seconds the process had used by then. */
    private double[] startOnce(long memory, String target) throws Exception {
        String name = target + "-" + (memory >> 20) + "m-start";
        try (Cgroup cgroup = Cgroup.create("doorcast-bench-" + ProcessHandle.current().pid() + "-" + name, memory)) {
            Server server = launch(cgroup, target, name);
            try {
                double wall = awaitServing(server.process(), server.port(), target, server.started());
                // The shell that joined the cgroup exec'd the server: same process, its CPU time since exec.
                double cpu = server.process().info().totalCpuDuration().map(d -> d.toNanos() / 1e9)
                        .orElse(Double.NaN);
                return new double[] {wall, cpu};
            } finally {
                stop(server.process());
            }
        }
    }

    /** A server started in a cgroup: its process, port and GC log, and when it was started ({@code nanoTime}). */
    private record Server(Process process, int port, Path gcLog, long started) {
    }

    /**
     * Starts target fresh inside the cgroup, with the Dockerfile's JVM options, its output in
     * {@code footprint-NAME.log}, after dropping the page cache of doorcast's files.
     */
    private Server launch(Cgroup cgroup, String target, String name) throws IOException, InterruptedException {
        Path gcLog = bench.out.resolve("gc-" + name + ".log");
        Files.deleteIfExists(gcLog);
        int port = Bench.freePort();
        List<String> command = command(target, port, gcLog);
        if (isDoorcast(target)) {
            uncache(target.equals("doorcast") ? app : compareApp);
        }
        ProcessBuilder pb = new ProcessBuilder(cgroup.wrap(command)).redirectErrorStream(true)
                .redirectOutput(bench.out.resolve("footprint-" + name + ".log").toFile());
        if (!target.equals("node")) {
            pb.environment().put("JAVA_TOOL_OPTIONS", jvmOptions);
        }
        long started = System.nanoTime();
        return new Server(pb.start(), port, gcLog, started);
    }

    private static void stop(Process server) throws InterruptedException {
        Bench.stop(server);
        if (server.isAlive()) {
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** doorcast itself or the compared build of it: both are extracted, trained, and asked for liveness. */
    private static boolean isDoorcast(String target) {
        return target.equals("doorcast") || target.equals("compare");
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private void runOne(long memory, String target) throws Exception {
        String name = target + "-" + (memory >> 20) + "m";
        try (Cgroup cgroup = Cgroup.create("doorcast-bench-" + ProcessHandle.current().pid() + "-" + name, memory)) {
            Server launched = launch(cgroup, target, name);
            Process server = launched.process();
            int port = launched.port();
            Path gcLog = launched.gcLog();
            long started = launched.started();
            try (Load load = new Load(port, Bench.TOKEN, bench.frameBytes, bench.readerThreads)) {
                double serving = awaitServing(server, port, target, started);
                load.resume();
                Bench.sleep(10_000);
                double idle = cgroup.usageMb();
                String idleSplit = split(cgroup);
                double idleOwn = cgroup.statMb("total_rss") + cgroup.kernelMb();
                liveBase = histogram ? liveHeap(server.pid(), name + "-idle") : Double.NaN;
                String row = String.format(Locale.ROOT, "| %d MB | %s | idle | | %.1f | %.0f (%s) | | %.0f | | %s |"
                                + " | | | | | | |", memory >> 20, target, serving, idle, idleSplit, cgroup.peakMb(),
                        killed(server, cgroup));
                print(row);
                int connected = 0;
                for (int i = 0; i < steps.length && server.isAlive(); i++) {
                    step(server, cgroup, load, memory, target, steps[i] - connected, i == 0 ? listeners : 0,
                            steps[i], idle, idleOwn, gcLog, started, serving);
                    connected = steps[i];
                }
            } finally {
                stop(server);
            }
        }
    }

    private void step(Process server, Cgroup cgroup, Load load, long memory, String target, int newViewers,
            int newListeners, int viewers, double idle, double idleOwn, Path gcLog, long started, double serving)
            throws Exception {
        cgroup.resetPeak();
        long t0 = System.nanoTime();
        Load.Admission admission = load.connect(newViewers, newListeners, 120_000, Integer.MAX_VALUE);
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        Bench.sleep(Math.max(0, 5000 - (System.nanoTime() - t0) / 1_000_000));
        Window cold = server.isAlive() ? window(server, load, started) : null;
        Window warm = server.isAlive() ? window(server, load, started) : null;
        Window later = warm != null ? warm : cold;
        double usage = server.isAlive() ? cgroup.usageMb() : Double.NaN;
        String usageSplit = server.isAlive() ? split(cgroup) : "";
        double own = server.isAlive() ? cgroup.statMb("total_rss") + cgroup.kernelMb() : Double.NaN;
        int connections = viewers + listeners;
        List<double[]> pauses = pauses(gcLog);
        String row = String.format(Locale.ROOT,
                "| %d MB | %s | %d+%d | %d/%d/%d in %.1f s | %.1f | %.0f | %.0f (%s) | %.0f | %.1f | %s "
                        + "| %s | %s | %s | %s | %s | %s | %.0f%% |",
                memory >> 20, target, viewers, listeners, admission.ok(), admission.refused(), admission.failed(),
                connectSeconds, serving, idle, usage, usageSplit, cgroup.peakMb(), (own - idleOwn) * 1024 / connections,
                killed(server, cgroup), gc(pauses, cold), latency(cold), gc(pauses, warm), latency(warm),
                later == null ? "–" : cpu(later), later == null ? "–" : closed(later),
                later == null ? Double.NaN : later.machineBusy() * 100);
        print(row);
        if (histogram && server.isAlive()) {
            double live = liveHeap(server.pid(), target + "-" + (memory >> 20) + "m-" + viewers);
            System.out.printf(Locale.ROOT, "live heap after a full GC: %.1f MB idle, %.1f MB now, %.1f KB per "
                    + "connection (histograms in %s)%n", liveBase / 1024, live / 1024, (live - liveBase) / connections,
                    bench.out);
        }
    }

    /**
     * Live heap, KB, from a class histogram (which runs a full GC first); the histogram is kept in
     * {@code histogram-NAME.txt}. Only with {@code -Dbench.histogram=true}: its full GCs would show in the
     * pauses, so it runs after the windows of each step and once before the first.
     */
    private double liveHeap(long pid, String name) throws IOException, InterruptedException {
        Path jcmd = Path.of(bench.java()).resolveSibling("jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        Files.writeString(bench.out.resolve("histogram-" + name + ".txt"), text);
        Matcher m = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
    }

    private record Window(double fromSeconds, double toSeconds, Load.ViewerResult result, double cpuSeconds,
            double machineBusy) {
    }

    /** One measured window of {@code bench.window} seconds; times are seconds since the server was started. */
    private Window window(Process server, Load load, long started) throws IOException {
        long pid = server.pid();
        long[] cpu0 = cpuTicks(pid);
        long[] machine0 = Bench.machineTicks();
        double from = (System.nanoTime() - started) / 1e9;
        load.startWindow();
        for (int s = 0; s < window * 10 && server.isAlive(); s++) {
            Bench.sleep(100);
        }
        long last = load.endWindow();
        double to = (System.nanoTime() - started) / 1e9;
        long[] cpu1 = cpuTicks(pid);
        long[] machine1 = Bench.machineTicks();
        Bench.sleep(1500); // the window's last frames reach their viewers
        double busy = 1.0 - (double) (machine1[1] - machine0[1]) / Math.max(1, machine1[0] - machine0[0]);
        return new Window(from, to, load.viewerResult(last), (cpu1[0] - cpu0[0]) / 100.0, busy);
    }

    /** CPU ticks of the server so far; after the kernel killed it, none. */
    private static long[] cpuTicks(long pid) {
        try {
            return Bench.cpuTicks(pid);
        } catch (IOException gone) {
            return new long[] {0};
        }
    }

    private static String latency(Window w) {
        if (w == null) {
            return "–";
        }
        Load.ViewerResult r = w.result();
        double delivery = r.expected() == 0 || r.viewers() == 0 ? Double.NaN
                : (double) r.delivered() / (r.expected() * (double) r.viewers());
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f, %.2f %%", r.latency().percentileMillis(50),
                r.latency().percentileMillis(99), r.latency().maxMillis(), delivery * 100);
    }

    private static String cpu(Window w) {
        long frames = w.result().delivered();
        double wall = w.toSeconds() - w.fromSeconds();
        return String.format(Locale.ROOT, "%.1f µs, %.2f cores", frames == 0 ? Double.NaN : w.cpuSeconds() * 1e6 / frames,
                w.cpuSeconds() / wall);
    }

    private static String closed(Window w) {
        return Integer.toString(w.result().lostDuringRun());
    }

    /** GC pauses that started inside the window: young count / full count / longest ms. */
    private static String gc(List<double[]> pauses, Window w) {
        if (w == null) {
            return "–";
        }
        int young = 0;
        int full = 0;
        double longest = 0;
        for (double[] p : pauses) {
            if (p[0] >= w.fromSeconds() && p[0] < w.toSeconds()) {
                if (p[1] == 1) {
                    full++;
                } else {
                    young++;
                }
                longest = Math.max(longest, p[2]);
            }
        }
        return String.format(Locale.ROOT, "%d / %d / %.0f", young, full, longest);
    }

    /** Each pause in the server's -Xlog:gc file: uptime s, 1 for a full GC else 0, ms. */
    private static List<double[]> pauses(Path gcLog) throws IOException {
        List<double[]> pauses = new ArrayList<>();
        if (!Files.exists(gcLog)) {
            return pauses;
        }
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = PAUSE.matcher(line.trim());
            if (m.find()) {
                pauses.add(new double[] {Double.parseDouble(m.group(1)), m.group(2).equals("Full") ? 1 : 0,
                        Double.parseDouble(m.group(3))});
            }
        }
        return pauses;
    }

    /** What the usage is made of: anonymous memory (heap, native) and page cache (jars, the AOT cache). */
    private static String split(Cgroup cgroup) {
        return String.format(Locale.ROOT, "anon %.0f, kernel %.0f, file %.0f", cgroup.statMb("total_rss"),
                cgroup.kernelMb(), cgroup.statMb("total_cache"));
    }

    private static String killed(Process server, Cgroup cgroup) {
        long kills = cgroup.oomKills();
        if (server.isAlive()) {
            return kills == 0 ? "no" : "OOM killer struck " + kills + "x";
        }
        return "DIED (exit " + server.exitValue() + ", oom_kill " + kills + ")";
    }

    private List<String> command(String target, int port, Path gcLog) throws IOException {
        List<String> cmd = new ArrayList<>();
        switch (target) {
            case "doorcast", "compare" -> {
                Path jar = target.equals("doorcast") ? app : compareApp;
                Path cache = target.equals("doorcast") ? aotCache : compareCache;
                cmd.add(bench.java());
                if (cache != null) {
                    cmd.add("-XX:AOTCache=" + cache);
                }
                cmd.add("-Xlog:gc:file=" + gcLog);
                cmd.addAll(List.of("-jar", jar.toString(), "--doorcast.demo.enabled=false",
                        "--doorcast.security.device-token=" + Bench.TOKEN, "--server.port=" + port,
                        "--doorcast.limits.max-streams-per-client=0",
                        "--logging.level.root=WARN",
                        // What the prod profile sets as well: no API description on a public server.
                        "--springdoc.api-docs.enabled=false", "--springdoc.swagger-ui.enabled=false"));
                cmd.addAll(serverSettings);
            }
            case "baseline" -> {
                cmd.add(bench.java());
                cmd.add("-Xlog:gc:file=" + gcLog);
                cmd.addAll(List.of("-cp", bench.baselineClasses().toString(), RawFanout.class.getName(),
                        Integer.toString(port)));
            }
            case "node" -> cmd.addAll(NodeSeed.command(bench.out, port));
            default -> throw new IllegalArgumentException("unknown target " + target);
        }
        return cmd;
    }

    /** Seconds from the start of the process to its first HTTP answer (doorcast: to liveness UP). */
    private static double awaitServing(Process server, int port, String target, long started) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException(target + " exited with " + server.exitValue() + " before serving");
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                if (!isDoorcast(target)) {
                    return (System.nanoTime() - started) / 1e9;
                }
                s.setSoTimeout(5000);
                OutputStream o = s.getOutputStream();
                o.write("GET /actuator/health/liveness HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                if (answer.startsWith("HTTP/1.1 200")) {
                    return (System.nanoTime() - started) / 1e9;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Bench.sleep(20);
        }
        throw new IllegalStateException(target + " did not serve within 120 s");
    }

    private void print(String row) {
        rows.add(row);
        System.out.println(row);
    }

    private static String header() {
        return "| cgroup limit | server | viewers+listeners | admitted/503/failed | start to serving s | idle usage MB "
                + "| usage after MB (anon, kernel, file) | peak MB | KB per connection (anon + kernel) | killed | GC pauses 5-35 s: young / full / "
                + "longest ms | 5-35 s: p50 / p99 / max ms, delivery | GC pauses next 30 s | next 30 s: p50 / p99 "
                + "/ max ms, delivery | CPU per delivered frame, cores (later window) | closed by server | machine "
                + "busy |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
    }

    static long bytes(String size) {
        String s = size.toLowerCase(Locale.ROOT);
        long unit = s.endsWith("g") ? 1L << 30 : s.endsWith("m") ? 1L << 20 : s.endsWith("k") ? 1L << 10 : 1;
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The JVM options and entry point the Dockerfile ships, read from it so that the bench cannot drift. */
    record Dockerfile(String javaToolOptions, boolean usesAotCache) {

        static Dockerfile read(Path file) throws IOException {
            String text = Files.readString(file);
            Matcher m = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("no JAVA_TOOL_OPTIONS=\"...\" in " + file);
            }
            boolean aot = false;
            for (String line : text.lines().toList()) {
                aot |= line.startsWith("ENTRYPOINT") && line.contains("-XX:AOTCache=");
            }
            return new Dockerfile(m.group(1).trim(), aot);
        }
    }
}
