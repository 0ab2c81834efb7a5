package dev.doorcast.system;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.doorcast.DoorcastApplication;
import dev.doorcast.buffer.BufferStats;
import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.testing.DocExamples;
import dev.doorcast.testing.DocExamples.Example;
import dev.doorcast.testing.DocExamples.Rule;
import dev.doorcast.testing.DocExamples.Server;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/api.md cannot drift: every example in it is run with bash against a server started as the page says
 * (its section "How the examples were made"), and what it prints is compared with what the page shows,
 * after {@link #VARYING}. The servers run in this JVM on free ports, put into the commands in place of the
 * page's {@code 8080}. With {@code -Ddocs.update}, the outputs that differ are written back into the page
 * for review; with {@code -Ddocs.update=all}, every output that has no {@code …} cut.
 */
class ApiDocExamplesTest {

    /**
     * What legitimately differs from run to run. Both the page's output and the actual one have these
     * replaced by placeholders before they are compared; everything else must be the same.
     */
    static final List<Rule> VARYING = List.of(
            new Rule("the Date header", "^Date: .+$", "Date: <date>"),
            new Rule("epoch milliseconds", "\\b1\\d{12}\\b", "<epoch-ms>"),
            new Rule("a frame's tag, which holds its number", "(ETag: \"[A-Za-z0-9_]+-)\\d+(-<epoch-ms>\")",
                    "$1<n>$2"),
            new Rule("the Last-Modified header", "^Last-Modified: .+$", "Last-Modified: <date>"),
            new Rule("clock times", "\\b\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\b", "<time>"),
            new Rule("an access link's expiry, issuer (keyed with a link key made at start), nonce and signature",
                    "\\b(v2\\.[a-z0-9-]+\\.[a-z]+)\\.\\d+\\.[A-Za-z0-9_-]{11}\\.[A-Za-z0-9_-]{11}\\.[A-Za-z0-9_-]{43}"
                            + "(?![A-Za-z0-9_-])",
                    "$1.<expiry>.<issuer>.<nonce>.<signature>"),
            new Rule("sequence numbers", "(X-Sequence: |\"(?:frame_id|chunk_id|sequence)\":)\\d+", "$1<n>"),
            new Rule("counts that grow while the simulated doorbell posts, and what viewers missed, which depends on "
                    + "how busy the machine is",
                    "(\"(?:frames|audioChunks)(?:Received|Evicted|Dropped)\": ?|\"bytesReceived\": ?)\\d+", "$1<n>"),
            new Rule("lengths, which follow the simulated doorbell's pictures and the numbers above",
                    "(Content-Length: )\\d+", "$1<n>"),
            new Rule("the values of meters", "^(doorcast_[a-z_]+(?:\\{[^}]*})?) \\S+$", "$1 <value>"),
            new Rule("UUIDs", "\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b", "<uuid>"));

    private static final Path PAGE = Path.of("docs/api.md");
    private static final String SETUP = "## How the examples were made";
    /** The server name of examples that need none, such as making the test media; they run first. */
    private static final String NO_SERVER = "none";
    private static final Path WORK = Path.of("target/api-doc-examples");
    private static final Pattern PAGE_PORT = Pattern.compile("\\b(localhost|127\\.0\\.0\\.1)([:/])8080\\b");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** Set: write the outputs that differ into the page; {@code all}: every output without a cut. */
    private static final String UPDATE = System.getProperty("docs.update");

    private static final List<ConfigurableApplicationContext> running = new CopyOnWriteArrayList<>();
    private static final Map<Example, String> rewrites = new ConcurrentHashMap<>();

    @AfterAll
    static void stopServers() {
        running.forEach(ConfigurableApplicationContext::close);
    }

    @TestFactory
    Stream<DynamicTest> everyExampleRunsAsThePageShows() throws Exception {
        List<String> page = Files.readAllLines(PAGE);
        Map<String, List<String>> arguments = new LinkedHashMap<>();
        for (Server server : DocExamples.servers(page, SETUP)) {
            arguments.put(server.name(), server.arguments());
        }
        Map<String, String> environment = DocExamples.exports(page, SETUP);
        List<Example> examples = DocExamples.examples(page);
        assertThat(examples).as("examples in %s", PAGE).hasSizeGreaterThan(40);
        assertThat(examples).extracting(Example::server).as("servers named in %s, section %s", PAGE, SETUP)
                .allMatch(name -> name.equals(NO_SERVER) || arguments.containsKey(name));

        // Examples that need no server first, in one directory that every server's examples then start from.
        FileSystemUtils.deleteRecursively(WORK);
        Path common = Files.createDirectories(WORK.resolve(NO_SERVER));
        // Commands wait on their processes; virtual threads, which need no shutting down once the chains end.
        ExecutorService commands = Executors.newVirtualThreadPerTaskExecutor();
        Map<Example, CompletableFuture<String>> results = new LinkedHashMap<>();
        for (Example example : examples) {
            if (example.server().equals(NO_SERVER)) {
                CompletableFuture<String> printed = CompletableFuture.supplyAsync(
                        () -> run(example.command(), common, environment), commands);
                printed.exceptionally(failure -> null).join();
                results.put(example, printed);
            }
        }

        // The first server starts alone, as Spring sets logging up once for the JVM on that start and would
        // set it up several times over if all started at once; the others then start side by side. Each
        // server's examples run in page order, as a reader runs them, and the servers side by side too.
        ExecutorService starting = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());
        Map<String, CompletableFuture<ConfigurableApplicationContext>> servers = new LinkedHashMap<>();
        Map<String, CompletableFuture<?>> latest = new LinkedHashMap<>();
        CompletableFuture<?> first = null;
        for (Example example : examples) {
            String name = example.server();
            if (name.equals(NO_SERVER)) {
                continue;
            }
            Path directory = WORK.resolve(name);
            if (!servers.containsKey(name)) {
                FileSystemUtils.copyRecursively(common, directory);
                CompletableFuture<ConfigurableApplicationContext> started = first == null
                        ? CompletableFuture.supplyAsync(() -> start(arguments.get(name)), starting)
                        : first.handleAsync((ignored, failure) -> start(arguments.get(name)), starting);
                first = first == null ? started : first;
                servers.put(name, started);
                latest.put(name, started.thenApplyAsync(ApiDocExamplesTest::ringsFull, commands));
            }
            CompletableFuture<String> printed = latest.get(name)
                    .handle((ignored, failure) -> null)
                    .thenCombineAsync(servers.get(name),
                            (ignored, server) -> runStreamOnceMore(example,
                                    runOn(server, example.command(), directory, environment),
                                    () -> runOn(server, example.command(), directory, environment)), commands);
            latest.put(name, printed);
            results.put(example, printed);
        }

        Stream<DynamicTest> runs = examples.stream().map(example -> DynamicTest.dynamicTest(
                "api.md:" + example.line() + " [" + example.server() + "] $ " + abbreviate(example.command()),
                () -> compare(example, results.get(example).get(4, TimeUnit.MINUTES))));
        return UPDATE != null ? Stream.concat(runs, Stream.of(DynamicTest.dynamicTest("write the new outputs into "
                + PAGE, () -> writeBack(page)))) : runs;
    }

    /** README's "Trying the API" sets the page's variables and starts the page's default server, word for word. */
    @Test
    void theReadmeStartsTheServerThePageCallsDefault() throws IOException {
        List<String> page = Files.readAllLines(PAGE);
        String readme = Files.readString(Path.of("README.md"));
        assertThat(DocExamples.servers(page, SETUP))
                .filteredOn(server -> server.name().equals(DocExamples.DEFAULT_SERVER))
                .singleElement().satisfies(server -> assertThat(readme).contains(server.command()));
        DocExamples.exports(page, SETUP).forEach((name, value) ->
                assertThat(readme).contains("export " + name + "=" + value));
    }

    private static ConfigurableApplicationContext start(List<String> arguments) {
        List<String> all = new ArrayList<>(arguments);
        all.add("--server.port=0");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DoorcastApplication.class)
                .run(all.toArray(String[]::new));
        running.add(context);
        return context;
    }

    /** As the page says: a few seconds after the start the simulated doorbell, if on, has filled the buffers. */
    private static ConfigurableApplicationContext ringsFull(ConfigurableApplicationContext server) {
        if (server.getEnvironment().getProperty("doorcast.demo.enabled", Boolean.class, true)) {
            DeviceStreams devices = server.getBean(DeviceStreams.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                BufferStats stats = devices.buffer(DoorcastProperties.DEFAULT_DEVICE).stats();
                return stats.currentFrames() == stats.frameCapacity()
                        && stats.currentAudioChunks() == stats.audioCapacity();
            });
        }
        return server;
    }

    /**
     * Runs a command against {@code server}: its port in place of the page's, and back again in the output.
     * First it lets the server notice that the previous example's viewers left, as a reader's server has by
     * the time the next command is typed: a server with no frame to send notices at its next keep-alive,
     * up to 1.25 s after the viewer went.
     */
    private static String runOn(ConfigurableApplicationContext server, String command, Path directory,
            Map<String, String> environment) {
        DeviceStreams devices = server.getBean(DeviceStreams.class);
        try {
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> devices.devices().stream().map(devices::audience)
                            .allMatch(audience -> audience.viewers() == 0 && audience.listeners() == 0));
        } catch (ConditionTimeoutException stillWatching) {
            // Then the example's own output shows them.
        }
        String port = server.getEnvironment().getProperty("local.server.port");
        String printed = run(PAGE_PORT.matcher(command).replaceAll("$1$2" + port), directory, environment);
        return Pattern.compile("\\b(localhost|127\\.0\\.0\\.1)([:/])" + port + "\\b").matcher(printed)
                .replaceAll("$1$28080");
    }

    /**
     * A known fault, not yet understood: now and then (a few in a hundred in a tight curl loop, on old code
     * too) a stream is answered 200 with its headers and closed at once with no body. A stream example that
     * differs is run once more, so that fault does not fail the build, and a second difference still does.
     * The retry is logged so that the fault stays visible.
     */
    private static String runStreamOnceMore(Example example, String printed, Supplier<String> again) {
        boolean stream = example.command().contains("/api/v1/stream/camera")
                || example.command().contains("/api/v1/stream/audio");
        if (!stream || DocExamples.matches(DocExamples.normalise(example.output(), VARYING),
                DocExamples.normalise(printed, VARYING))) {
            return printed;
        }
        System.err.println("api.md:" + example.line() + ": a stream example differed; running it once more");
        return again.get();
    }

    private static void compare(Example example, String actual) {
        String expected = DocExamples.normalise(example.output(), VARYING);
        String normalised = DocExamples.normalise(actual, VARYING);
        boolean same = DocExamples.matches(expected, normalised);
        if (UPDATE != null && (!same || UPDATE.equals("all") && !example.output().contains("…"))) {
            rewrites.put(example, actual);
        }
        if (!same) {
            throw new AssertionFailedError(failure(example, actual, expected, normalised), example.output(), actual);
        }
    }

    /**
     * Runs one command as a reader's shell would, in {@code directory}; stdout and stderr together. A command
     * that does not end is a failure that names it, rather than a test that hangs.
     */
    private static String run(String command, Path directory, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            builder.environment().put("LC_ALL", "C");
            Process process = builder.start();
            // Read on a thread of its own: the common pool is one thread on a 2-core machine.
            CompletableFuture<byte[]> output = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    output.complete(process.getInputStream().readAllBytes());
                } catch (IOException e) {
                    output.completeExceptionally(e);
                }
            });
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionFailedError("still running after " + COMMAND_TIMEOUT.toSeconds() + " s: $ "
                        + command + "\nA stream in an example needs a bound: curl --max-time, or head -c.");
            }
            try {
                return new String(output.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            } catch (TimeoutException e) {
                throw new AssertionFailedError("a background job outlived the command (end it with wait): $ "
                        + command);
            }
        } catch (IOException | InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not run $ " + command, e);
        }
    }

    private static String failure(Example example, String actual, String expected, String normalised) {
        StringBuilder message = new StringBuilder()
                .append(PAGE).append(':').append(example.line()).append(", on the ").append(example.server())
                .append(" server:\n$ ").append(example.command())
                .append("\n--- the page shows:\n").append(example.output())
                .append("\n--- it printed:\n").append(actual.stripTrailing());
        String[] wanted = expected.split("\n", -1);
        String[] got = normalised.split("\n", -1);
        for (int i = 0; i < Math.max(wanted.length, got.length); i++) {
            String want = i < wanted.length ? wanted[i] : "(nothing)";
            String have = i < got.length ? got[i] : "(nothing)";
            if (want.contains("…")) {
                break;
            }
            if (!want.equals(have)) {
                message.append("\n--- first difference, line ").append(i + 1)
                        .append(" (after ApiDocExamplesTest.VARYING):\npage:    ").append(want)
                        .append("\nprinted: ").append(have);
                break;
            }
        }
        return message.toString();
    }

    private static void writeBack(List<String> page) throws IOException {
        List<String> lines = new ArrayList<>(page);
        List<Example> changed = new ArrayList<>(rewrites.keySet());
        changed.sort(Comparator.comparingInt(Example::outputStart).reversed());
        for (Example example : changed) {
            String printed = rewrites.get(example).replace("\r\n", "\n").stripTrailing();
            List<String> output = new ArrayList<>();
            for (String line : printed.isEmpty() ? new String[0] : printed.split("\n", -1)) {
                output.add((example.indent() + line).stripTrailing());
            }
            List<String> region = lines.subList(example.outputStart(), example.outputEnd());
            region.clear();
            region.addAll(output);
        }
        Files.write(PAGE, lines);
    }

    private static String abbreviate(String command) {
        String oneLine = command.replace('\n', ' ');
        return oneLine.length() <= 90 ? oneLine : oneLine.substring(0, 89) + "…";
    }
}
