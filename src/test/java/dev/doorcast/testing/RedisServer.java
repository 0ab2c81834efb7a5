package dev.doorcast.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** A real redis-server (Debian's package, installed by .ci/run) on a free port, for one test class. */
public final class RedisServer implements AutoCloseable {

    private final int port;
    private final Path dir;
    private Process process;

    public RedisServer(Path dir) throws IOException {
        this.port = Processes.freePort();
        this.dir = dir;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it (again, after {@link #stop()}, on the same port) and waits until it takes connections. */
    public RedisServer start() throws IOException {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.accepts(port));
        return this;
    }

    /** Kills it, as a crash or a network cut would, and waits until the port is closed. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }


    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
