package dev.doorcast.system;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.JarServer;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.Stranger;
import dev.doorcast.testing.TestMedia;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The first two rows of docs/security.md's attack table, against the built jar as production
 * runs it: a child JVM with the Dockerfile's options (so an exhausted heap ends the process) and a heap far
 * smaller than what the attackers declare, profile {@code prod}. All the while a doorbell posts 9 KB JPEGs
 * at 5 fps and a household viewer watches; the attackers have no credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnauthenticatedAttacksIT {

    private static final String VIEWER_TOKEN = "household-viewer-token";
    private static final String FORM = "application/x-www-form-urlencoded";
    /** Frames keep coming 5 times a second, and the keep-alive repeats one after 1 s without. */
    private static final Duration LONGEST_GAP = Duration.ofSeconds(2);

    private JarServer server;
    private ScheduledExecutorService doorbell;
    private final AtomicInteger framesRefused = new AtomicInteger();
    private Household household;

    @BeforeAll
    void startServerDoorbellAndViewer() throws Exception {
        server = JarServer.start("96m", List.of("--doorcast.security.device-token=" + Doorbell.TOKEN,
                "--doorcast.security.viewer-token=" + VIEWER_TOKEN), Path.of("target/it/unauthenticated-attacks.log"));
        Doorbell device = new Doorbell(server.port());
        List<byte[]> frames = IntStream.range(0, 25).mapToObj(i -> TestMedia.jpegOfSize(9 * 1024 + i)).toList();
        AtomicInteger next = new AtomicInteger();
        doorbell = Executors.newSingleThreadScheduledExecutor();
        doorbell.scheduleAtFixedRate(() -> {
            try {
                if (device.postFrame(frames.get(next.getAndIncrement() % frames.size())).statusCode() != 200) {
                    framesRefused.incrementAndGet();
                }
            } catch (RuntimeException e) {
                framesRefused.incrementAndGet();
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        household = Household.watch(server.port(), accessLink(server.port()));
        await().atMost(Duration.ofSeconds(10)).until(() -> household.parts() > 0);
    }

    @AfterAll
    void stop() throws Exception {
        if (doorbell != null) {
            doorbell.shutdownNow();
        }
        if (household != null) {
            household.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void hugeFormBodyIsAnsweredWithoutBeingRead() throws Exception {
        long from = System.nanoTime();
        long sent;
        try (Stranger stranger = Stranger.send(server.port(), head("PUT", "/anything", 400L * 1024 * 1024))) {
            sent = stranger.stream(400L * 1024 * 1024, Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(5)).until(() -> stranger.answered() || stranger.closedByServer());
        }
        long to = System.nanoTime();

        assertServerAndHouseholdUnharmed(from, to);
        System.out.printf("attack 1: %,d body bytes sent in %d ms before the server answered or closed; heap in use %s%n",
                sent, TimeUnit.NANOSECONDS.toMillis(to - from), heapInUse());
    }

    @Test
    @Order(2)
    void formPostsDribbledAtTheStreamAreRefusedBeforeTheirBodiesAreRead() throws Exception {
        long from = System.nanoTime();
        List<Stranger> strangers = new ArrayList<>();
        try {
            for (int i = 0; i < 150; i++) {
                strangers.add(Stranger.send(server.port(), head("POST", "/api/v1/stream/camera", 2_000_000)));
            }
            for (int round = 0; round < 5; round++) {
                // The attack's own pace: one byte every 2 s keeps each read under the 5 s connection timeout.
                Thread.sleep(2000);
                strangers.forEach(Stranger::dribble);
            }
            long to = System.nanoTime();

            assertServerAndHouseholdUnharmed(from, to);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(strangers)
                    .allMatch(stranger -> stranger.answered() || stranger.closedByServer()));
            System.out.printf("attack 2: %d of %d strangers answered, %d closed, after %d ms; heap in use %s%n",
                    strangers.stream().filter(Stranger::answered).count(), strangers.size(),
                    strangers.stream().filter(Stranger::closedByServer).count(), TimeUnit.NANOSECONDS.toMillis(to - from),
                    heapInUse());
        } finally {
            strangers.forEach(Stranger::close);
        }
    }

    private void assertServerAndHouseholdUnharmed(long from, long to) {
        assertThat(server.isAlive()).as("the server is alive; its output:\n%s", server.output()).isTrue();
        assertThat(household.failure()).as("the household's stream goes on").isNull();
        assertThat(household.longestGap(from, to)).as("the longest the household waited for a part")
                .isLessThan(LONGEST_GAP);
        assertThat(framesRefused).as("doorbell posts refused or failed").hasValue(0);
    }

    /** The server's heap in use now (not after a GC), from its Prometheus scrape, for the test's output. */
    private String heapInUse() {
        String scrape = new String(new Doorbell(server.port()).get("/actuator/prometheus").body(), StandardCharsets.UTF_8);
        double bytes = scrape.lines().filter(line -> line.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        return String.format("%.0f MB", bytes / 1e6);
    }

    private static String head(String method, String path, long contentLength) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + FORM + "\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    /** A signed link made with the viewer token, as the household's page gets one. */
    private static String accessLink(int port) throws IOException, InterruptedException {
        HttpResponse<String> minted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/stream/access"))
                .header("Authorization", "Bearer " + VIEWER_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(minted.statusCode()).isEqualTo(200);
        return JsonMapper.builder().build().readTree(minted.body()).path("access").asString();
    }

    /** The household's viewer: reads the camera stream on a thread of its own and notes when each part came. */
    private static final class Household implements AutoCloseable {

        private final MjpegReader reader;
        private final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        private volatile @Nullable IOException failure;

        private Household(MjpegReader reader) {
            this.reader = reader;
            Thread.ofVirtual().name("household").start(this::watch);
        }

        static Household watch(int port, String access) throws IOException {
            MjpegReader reader = MjpegReader.open(port, "/api/v1/stream/camera?access="
                    + URLEncoder.encode(access, StandardCharsets.UTF_8), Duration.ofSeconds(10));
            assertThat(reader.status()).isEqualTo(200);
            return new Household(reader);
        }

        private void watch() {
            try {
                reader.readOpeningBoundary();
                while (true) {
                    reader.nextPart();
                    arrivals.add(System.nanoTime());
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        int parts() {
            return arrivals.size();
        }

        @Nullable IOException failure() {
            return failure;
        }

        /** The longest stretch between {@code from} and {@code to} (nano times) in which no part came. */
        Duration longestGap(long from, long to) {
            long longest = 0;
            long previous = from;
            synchronized (arrivals) {
                for (long arrival : arrivals) {
                    if (arrival > from && arrival <= to) {
                        longest = Math.max(longest, arrival - previous);
                        previous = arrival;
                    }
                }
            }
            return Duration.ofNanos(Math.max(longest, to - previous));
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
