package dev.doorcast.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real PostgreSQL server (Debian's postgresql package, installed by .ci/run) on a free port, in a
 * folder of its own, for one test class: initdb, start, stop (as a crash or an outage would), start again.
 * PostgreSQL refuses to run as root, so when the tests run as root it runs as the {@code postgres} user,
 * which then owns its folder.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String USER = "doorcast";

    private final int port;
    private final Path dir;
    private Process process;

    public PostgresServer() throws IOException, InterruptedException {
        this.port = Processes.freePort();
        // Not under a JUnit temp folder: its 700 parent would keep the postgres user out.
        this.dir = Files.createTempDirectory("doorcast-postgres-");
        Files.createDirectories(dir.resolve("socket"));
        if (root()) {
            Processes.run(List.of("chown", "-R", "postgres:postgres", dir.toString()), new byte[0]);
        }
        run(List.of(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                "-A", "trust", "--no-sync", "-E", "UTF8"));
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** {@code command} as the user PostgreSQL runs as, replacing that process (no shell, no su in between). */
    private static List<String> asPostgres(List<String> command) {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups", "--"));
        }
        full.addAll(command);
        return full;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Processes.Result result = Processes.run(asPostgres(command), new byte[0]);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(command + " failed: " + result.output());
        }
    }

    /** The JDBC URL of its {@code postgres} database, user {@code doorcast}, no password (trust). */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER;
    }

    public int port() {
        return port;
    }

    /** Starts it (again, after {@link #stop()}, on the same port and data) and waits until it takes connections. */
    public PostgresServer start() throws IOException {
        process = new ProcessBuilder(asPostgres(List.of(BIN.resolve("postgres").toString(),
                "-D", dir.resolve("data").toString(), "-p", Integer.toString(port),
                "-k", dir.resolve("socket").toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("postgres.log").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(this::accepts);
        return this;
    }

    /**
     * Stops it at once, clients connected or not (a fast shutdown: SIGINT), and waits until it has: to the
     * instances it is a store gone away.
     */
    public void stop() throws IOException, InterruptedException {
        if (process != null) {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    /** Whether it takes connections: open, and past its start-up (pg_isready). */
    private boolean accepts() throws IOException, InterruptedException {
        return Processes.run(List.of(BIN.resolve("pg_isready").toString(), "-q", "-h", "127.0.0.1", "-p",
                Integer.toString(port)), new byte[0]).exitCode() == 0;
    }

    /** Stops it and deletes its folder. */
    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }
}
