package dev.doorcast.stream;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.NginxServer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/nginx/doorcast.conf in a real nginx in front of doorcast, with the simulated doorbell posting at 5 fps
 * and 200 pollers asking for the snapshot twice a second each, as dashboards and camera cards do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=true",
        "doorcast.demo.ring-every=0s",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
})
class SnapshotBehindNginxTest {

    private static final String SNAPSHOT = "/api/v1/stream/camera/snapshot";
    private static final int POLLERS = 200;
    private static final Duration POLL_EVERY = Duration.ofMillis(500);
    private static final Duration POLLING = Duration.ofSeconds(10);

    /** Counts the snapshot requests that reach doorcast, behind the cache. */
    @TestConfiguration
    static class Reaching {

        static final AtomicInteger SNAPSHOTS = new AtomicInteger();

        @Bean
        OncePerRequestFilter countSnapshots() {
            return new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                        FilterChain chain) throws ServletException, IOException {
                    if (SNAPSHOT.equals(request.getRequestURI())) {
                        SNAPSHOTS.incrementAndGet();
                    }
                    chain.doFilter(request, response);
                }
            };
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Reaching reaching;

    @TempDir
    Path dir;

    private record Answer(int status, long ageMillis) {
    }

    @Test
    void twoHundredPollersThroughTheCacheCostDoorcastAFewRequestsASecondAndSeeARecentPicture() throws Exception {
        String site = Files.readString(Path.of("docs/nginx/doorcast.conf"));
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        try (NginxServer nginx = NginxServer.start(dir, site, "8081", "127.0.0.1:8080", "/var/cache/nginx/doorcast",
                "127.0.0.1:" + port)) {
            URI snapshot = URI.create("http://127.0.0.1:" + nginx.port() + SNAPSHOT);
            await().atMost(Duration.ofSeconds(10)).until(() -> http.send(HttpRequest.newBuilder(snapshot).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

            List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
            int before = Reaching.SNAPSHOTS.get();
            long start = System.nanoTime();
            try (ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < POLLERS; i++) {
                    long offset = POLL_EVERY.toNanos() * i / POLLERS;
                    pollers.submit(() -> poll(http, snapshot, start + offset, answers));
                }
                pollers.shutdown();
                assertThat(pollers.awaitTermination(POLLING.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int reached = Reaching.SNAPSHOTS.get() - before;

            List<Long> ages = answers.stream().filter(a -> a.status() == 200).map(Answer::ageMillis).sorted().toList();
            System.out.printf("behind nginx: %d pollers, %d answers in %.1f s (%.0f/s), %d reached doorcast (%.1f/s);"
                            + " picture age p50 %d ms, p95 %d ms, max %d ms%n", POLLERS, answers.size(), seconds,
                    answers.size() / seconds, reached, reached / seconds, ages.get(ages.size() / 2),
                    ages.get(ages.size() * 95 / 100), ages.getLast());

            assertThat(answers).as("every poll answered").hasSize(POLLERS * 20)
                    .allSatisfy(answer -> assertThat(answer.status()).isEqualTo(200));
            assertThat(reached / seconds).as("snapshot requests reaching doorcast a second").isLessThanOrEqualTo(3);
            assertThat(ages.getLast()).as("the oldest picture a poller saw, ms").isLessThanOrEqualTo(2_500);
        }
    }

    /** One poller: twenty GETs, one each half second from {@code first}, each answer's status and picture age. */
    private static Void poll(HttpClient http, URI snapshot, long first, List<Answer> answers) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(snapshot).timeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < POLLING.toMillis() / POLL_EVERY.toMillis(); i++) {
            long due = first + i * POLL_EVERY.toNanos();
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait)); // the poller's own pace
            }
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long age = System.currentTimeMillis()
                    - Long.parseLong(response.headers().firstValue("X-Timestamp").orElse("0"));
            answers.add(new Answer(response.statusCode(), age));
        }
        return null;
    }
}
