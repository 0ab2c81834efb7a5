package dev.doorcast.stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.PrometheusServer;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scrape job of docs/prometheus/prometheus.yml, as written there, against a server whose metrics need
 * the metrics token: the real Prometheus gets in with the token file and not without it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.security.viewer-token=viewer-token-for-prometheus-test",
        "doorcast.security.metrics-token=" + PrometheusTokenTest.METRICS_TOKEN,
})
class PrometheusTokenTest {

    static final String METRICS_TOKEN = "metrics-token-0123456789abcdef";

    @LocalServerPort
    int port;

    @TempDir
    Path dir;

    @Test
    void theDocumentedScrapeJobGetsInWithTheMetricsTokenAndNotWithout() throws Exception {
        new Doorbell(port).postFrame(TestMedia.jpeg(1));
        Files.writeString(dir.resolve("token"), METRICS_TOKEN + "\n");
        Files.writeString(dir.resolve("wrong-token"), "not-the-metrics-token-at-all\n");
        String documented = Files.readString(Path.of("docs/prometheus/prometheus.yml"));
        assertThat(documented).contains("credentials_file: /etc/prometheus/doorcast-metrics-token")
                .contains("targets: [\"localhost:8080\"]");
        String config = documented.replace("localhost:8080", "127.0.0.1:" + port)
                .replace("/etc/prometheus/doorcast-metrics-token", dir.resolve("token").toString())
                // The same job again with a wrong token, to see Prometheus refused.
                + """
                  - job_name: doorcast-wrong-token
                    metrics_path: /actuator/prometheus
                    authorization: {type: Bearer, credentials_file: %s}
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(dir.resolve("wrong-token"), port);
        config = config.replace("scrape_interval: 15s", "scrape_interval: 1s");

        try (PrometheusServer prometheus = PrometheusServer.start(dir, config)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(prometheus.value("up{job=\"doorcast\"}")).isEqualTo("1");
                        assertThat(prometheus.value("up{job=\"doorcast-wrong-token\"}")).isEqualTo("0");
                        assertThat(prometheus.value("doorcast_frames_received_total{job=\"doorcast\",device=\"doorbell\"}"))
                                .isNotNull();
                    });
        }
    }
}
