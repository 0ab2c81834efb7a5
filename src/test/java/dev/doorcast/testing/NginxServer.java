package dev.doorcast.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real nginx (Debian's package, installed by .ci/run) on a free port, running a site configuration as
 * an operator would drop it into {@code /etc/nginx/conf.d/}: its listen port, upstream address and cache
 * folder are moved to this test's, and nothing else of it is touched.
 */
public final class NginxServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private NginxServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts nginx in {@code dir} with {@code site} inside its http block, {@code listen} replaced by a free
     * port, {@code upstream} (host:port) by {@code target}, and {@code cacheDir} by a folder in {@code dir}.
     */
    public static NginxServer start(Path dir, String site, String listen, String upstream, String cacheDir,
            String target) throws IOException {
        int port = Processes.freePort();
        Path cache = Files.createDirectories(dir.resolve("cache"));
        // nginx's workers drop root's rights: they must be able to write the cache and temporary folders.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        String moved = site.replace("listen " + listen + ";", "listen 127.0.0.1:" + port + ";")
                .replace("server " + upstream + ";", "server " + target + ";")
                .replace(cacheDir, cache.toString());
        Files.writeString(dir.resolve("site.conf"), moved);
        Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes 1;
                error_log %1$s/error.log warn;
                pid %1$s/nginx.pid;
                events { worker_connections 1024; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/site.conf;
                }
                """.formatted(dir));
        Process process = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.log").toFile()).start();
        NginxServer nginx = new NginxServer(process, port);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited: " + Files.readString(dir.resolve("nginx.log")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
        return nginx;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
