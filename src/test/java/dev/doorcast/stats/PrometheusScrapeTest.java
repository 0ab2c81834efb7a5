package dev.doorcast.stats;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.Processes;
import dev.doorcast.testing.PrometheusServer;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real Prometheus tooling (Debian's prometheus package, installed by .ci/run) against a running server. */
@LiveServerTest
class PrometheusScrapeTest {

    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    @LocalServerPort
    int port;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statsEndpointSpeaksPrometheusTextThatPromtoolAcceptsWithoutAnyLint() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(1));
        long rings = Math.round(scraped(get("/api/v1/stream/stats", "text/plain").body(), "doorcast_rings_total"));
        doorbell.ring();

        HttpResponse<String> text = get("/api/v1/stream/stats", "text/plain;version=0.0.4");
        Processes.Result check = Processes.run(List.of("promtool", "check", "metrics"),
                text.body().getBytes(StandardCharsets.UTF_8));

        assertThat(text.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(text.body()).contains("doorcast_frames_received_total{device=\"doorbell\"}")
                .contains("doorcast_viewers{device=\"doorbell\"}")
                .contains("doorcast_talk_chunks_total{device=\"doorbell\"}")
                .contains("doorcast_event_streams{device=\"doorbell\"}")
                .contains("doorcast_speaker_streams{device=\"doorbell\"}")
                .doesNotContain("jvm_");
        assertThat(Math.round(scraped(text.body(), "doorcast_rings_total"))).isEqualTo(rings + 1);
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    /** The value of {@code name}'s sample for the default doorbell in a Prometheus text scrape. */
    private static double scraped(String text, String name) {
        String prefix = name + "{device=\"doorbell\"} ";
        return text.lines().filter(line -> line.startsWith(prefix)).mapToDouble(
                line -> Double.parseDouble(line.substring(prefix.length()).split(" ")[0])).findFirst().orElseThrow();
    }

    @Test
    void browsersAndScriptsStillGetTheJson() throws Exception {
        HttpResponse<String> browser = get("/api/v1/stream/stats",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        HttpResponse<String> curl = get("/api/v1/stream/stats", "*/*");

        assertThat(browser.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(browser.body()).startsWith("{\"success\":true,\"stats\":{");
        assertThat(curl.body()).startsWith("{\"success\":true,\"stats\":{");
        assertThat(curl.headers().firstValue("vary")).hasValue("Accept");
    }

    @Test
    void actuatorScrapeParsesAndLeavesStreamsOutOfRequestMetrics() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(2));
        try (MjpegReader viewer = MjpegReader.open(port, "/api/v1/stream/camera", Duration.ofSeconds(5))) {
            viewer.readOpeningBoundary();
            viewer.nextPart();
        }
        doorbell.get("/api/v1/stream/camera/snapshot");
        // A stream is timed, if at all, when it ends, which the server learns at its next write.
        await().until(() -> doorbell.stats().path("videoClientsConnected").asInt() == 0);

        HttpResponse<String> scrape = get("/actuator/prometheus", "text/plain;version=0.0.4");
        Processes.Result check = Processes.run(List.of("promtool", "check", "metrics"),
                scrape.body().getBytes(StandardCharsets.UTF_8));

        // promtool exits 3 for style lints in Boot's own meters (no help text); only parse errors fail.
        assertThat(check.exitCode()).as(check.output()).isIn(0, 3);
        assertThat(check.output()).doesNotContain("error while linting");
        assertThat(scrape.body())
                .contains("doorcast_device_post_seconds_bucket{device=\"doorbell\",kind=\"frame\",outcome=\"SUCCESS\"")
                .contains("uri=\"/api/v1/stream/camera/snapshot\"")
                .contains("doorcast_frame_delivery_age_seconds_bucket{device=\"doorbell\"")
                .doesNotContain("uri=\"/api/v1/stream/camera\"");
    }

    @Test
    void prometheusServerScrapesTheStatsEndpointAndTheActuator() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        for (int i = 0; i < 3; i++) {
            doorbell.postFrame(TestMedia.jpeg(10 + i));
        }
        long received = doorbell.stats().path("framesReceived").asLong();
        try (PrometheusServer prometheus = PrometheusServer.start(dir, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: doorcast-stats
                    metrics_path: /api/v1/stream/stats
                    static_configs: [{targets: ['127.0.0.1:%1$d']}]
                  - job_name: doorcast-actuator
                    metrics_path: /actuator/prometheus
                    static_configs: [{targets: ['127.0.0.1:%1$d']}]
                """.formatted(port))) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(prometheus.value("sum(up)")).isEqualTo("2");
                        assertThat(Double.parseDouble(prometheus.value(
                                "doorcast_frames_received_total{job=\"doorcast-stats\"}"))).isGreaterThanOrEqualTo(received);
                    });
        }
    }
}
