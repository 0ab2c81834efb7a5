package dev.doorcast.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real mosquitto (Debian's package, installed by .ci/run) on a free loopback port with its own config in
 * {@code dir}: anonymous, or with one user in a password file made by {@code mosquitto_passwd}.
 */
public final class Mosquitto implements AutoCloseable {

    private final int port;
    private final Path dir;
    private final Path config;
    private Process process;
    private boolean tls;

    private Mosquitto(Path dir, String access) throws IOException {
        this.port = Processes.freePort();
        this.dir = dir;
        this.config = dir.resolve("mosquitto-" + port + ".conf");
        Files.writeString(config, String.join("\n",
                "listener " + port + " 127.0.0.1",
                // Run as the test's user: as root mosquitto would switch to its own user, who cannot read dir.
                "user " + System.getProperty("user.name"),
                "persistence false",
                "log_dest file " + dir.resolve("mosquitto-" + port + ".log"),
                "log_type all",
                access, ""));
    }

    /** A broker that takes anyone. */
    public static Mosquitto anonymous(Path dir) throws IOException {
        return new Mosquitto(dir, "allow_anonymous true");
    }

    /** A broker that takes {@code user} with {@code password} and no one else. */
    public static Mosquitto withUser(Path dir, String user, String password) throws IOException, InterruptedException {
        return withUsers(dir, Map.of(user, password), "user " + user + "\ntopic readwrite #\n");
    }

    /**
     * A broker that takes only {@code users} (name to password), each limited to what {@code acl} (a mosquitto
     * {@code acl_file}) grants it.
     */
    public static Mosquitto withUsers(Path dir, Map<String, String> users, String acl)
            throws IOException, InterruptedException {
        Path passwords = dir.resolve("passwords-" + System.nanoTime());
        boolean first = true;
        for (Map.Entry<String, String> user : users.entrySet()) {
            List<String> command = new ArrayList<>(List.of("mosquitto_passwd"));
            if (first) {
                command.add("-c");
            }
            command.addAll(List.of("-b", passwords.toString(), user.getKey(), user.getValue()));
            Processes.Result made = Processes.run(command, new byte[0]);
            if (made.exitCode() != 0) {
                throw new IllegalStateException("mosquitto_passwd: " + made.output());
            }
            first = false;
        }
        Path acls = dir.resolve("acl-" + System.nanoTime());
        Files.writeString(acls, acl);
        return new Mosquitto(dir, "allow_anonymous false\npassword_file " + passwords + "\nacl_file " + acls);
    }

    /**
     * A broker that takes anyone over TLS only, with a self-signed certificate for 127.0.0.1 made by openssl:
     * one no JVM trusts.
     */
    public static Mosquitto withSelfSignedTls(Path dir) throws IOException, InterruptedException {
        Path key = dir.resolve("broker-key.pem");
        Path cert = dir.resolve("broker-cert.pem");
        Processes.Result made = Processes.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1"), new byte[0]);
        if (made.exitCode() != 0) {
            throw new IllegalStateException("openssl: " + made.output());
        }
        Mosquitto broker = new Mosquitto(dir, "allow_anonymous true\ncertfile " + cert + "\nkeyfile " + key);
        broker.tls = true;
        return broker;
    }

    public int port() {
        return port;
    }

    public String url() {
        return (tls ? "ssl" : "tcp") + "://127.0.0.1:" + port;
    }

    /** Starts it (again, after {@link #stop()}, on the same port) and waits until it takes connections. */
    public Mosquitto start() throws IOException {
        process = new ProcessBuilder("/usr/sbin/mosquitto", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto-" + port + ".out").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> Processes.accepts(port));
        return this;
    }

    /** Freezes it (SIGSTOP): connections stay open and nothing is answered, as a hung broker would. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Lets a frozen broker go on (SIGCONT). */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Processes.Result result = Processes.run(
                List.of("kill", "-" + name, Long.toString(process.pid())), new byte[0]);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("kill -" + name + ": " + result.output());
        }
    }

    /** Kills it and waits until the port is closed. */
    public void stop() throws InterruptedException, IOException {
        if (process != null) {
            thaw();
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }


    @Override
    public void close() throws InterruptedException, IOException {
        stop();
    }
}
