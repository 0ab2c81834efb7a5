package dev.doorcast.history;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.doorcast.DoorcastApplication;
import dev.doorcast.testing.Doorbell;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Whole servers started and stopped by a test, one after another or side by side, on one store. */
final class Instances {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Instances() {
    }

    /** A server on a free port with the test's device token, no simulated doorbell, and 1 s clips. */
    static ConfigurableApplicationContext start(String... more) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--doorcast.demo.enabled=false",
                "--doorcast.security.device-token=" + Doorbell.TOKEN, "--doorcast.limits.max-device-fps=1000",
                "--doorcast.rings.burst=1000", "--doorcast.rings.clip-after=1s"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(DoorcastApplication.class).run(args.toArray(String[]::new));
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    static Doorbell doorbell(ConfigurableApplicationContext context) {
        return new Doorbell(port(context));
    }

    /** The rings of {@code GET /api/v1/stream/rings} (with {@code token} when not null). */
    static JsonNode rings(Doorbell instance, String token) {
        return JSON.readTree(instance.get("/api/v1/stream/rings", token).body()).path("rings");
    }

    static List<Long> ringIds(Doorbell instance, String token) {
        return rings(instance, token).valueStream().map(ring -> ring.path("ringId").asLong()).toList();
    }

    /** A counter as Prometheus scrapes it: the first line of {@code name} that has {@code label}, or 0. */
    static double counter(Doorbell instance, String token, String name, String label) {
        String scrape = new String(instance.get("/actuator/prometheus", token).body(), StandardCharsets.UTF_8);
        return scrape.lines()
                .filter(line -> (line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(label))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    /** {@code doorcast_rings_stored_total}: the rings this instance wrote, clips and all. */
    static double stored(Doorbell instance, String token) {
        return counter(instance, token, "doorcast_rings_stored_total", "");
    }
}
