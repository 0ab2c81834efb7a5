package dev.doorcast.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The built jar in a child JVM, started as the Dockerfile starts it (its JVM options, the {@code prod}
 * profile), but with a heap chosen by the test. For tests of what production does when it is attacked:
 * with {@code -XX:+ExitOnOutOfMemoryError} an attack that exhausts the heap ends the process, as it would
 * on the machine.
 */
public final class JarServer implements AutoCloseable {

    /** The Dockerfile's JVM options, less {@code MaxRAMPercentage}, which an explicit {@code -Xmx} replaces. */
    private static final List<String> DOCKERFILE_OPTIONS = List.of(
            "-XX:+UseSerialGC", "-Xss512k", "-XX:+ExitOnOutOfMemoryError");

    private final Process process;
    private final int port;
    private final Path log;

    private JarServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code target/doorcast.jar} (or the jar named by the system property {@code doorcast.jar}) with
     * the JDK running this test, a heap of {@code heap} ({@code -Xmx} syntax) and the given application
     * arguments, on a free port; returns once its liveness check answers. Its output goes to {@code log}.
     */
    public static JarServer start(String heap, List<String> arguments, Path log) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("cannot tell which java runs this test"));
        Path jar = Path.of(System.getProperty("doorcast.jar", "target/doorcast.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with ./mvnw verify, which packages it first");
        }
        int port = Processes.freePort();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
        command.addAll(DOCKERFILE_OPTIONS);
        command.addAll(List.of("-jar", jar.toString(), "--spring.profiles.active=prod", "--server.port=" + port));
        if (arguments.stream().noneMatch(a -> a.startsWith("--spring.datasource.url=") || a.startsWith("--doorcast.storage."))) {
            // A store in memory: a jar started by a test leaves no database file in the working folder.
            command.add("--spring.datasource.url=jdbc:h2:mem:doorcast");
        }
        command.addAll(arguments);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        JarServer server = new JarServer(process, port, log);
        try {
            server.awaitLive(Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            server.close();
            throw new IllegalStateException("the server did not come up: " + e.getMessage() + "\n" + server.output(), e);
        }
        return server;
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the server has printed so far, for failure messages. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private void awaitLive(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest liveness = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness"))
                .timeout(Duration.ofSeconds(2)).build();
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class)
                .failFast("the server exited", () -> !process.isAlive())
                .until(() -> http.send(liveness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
