package dev.doorcast.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.doorcast.DoorcastApplication;
import dev.doorcast.testing.Doorbell;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner rotates a viewer token and restarts the server: every link made with the old token stops
 * opening anything, at once rather than when it expires, and links made with the other tokens go on. The
 * link secret stays the same throughout, so it is the token that revokes, not the key.
 */
class LinkRevocationTest {

    private static final String LINK_SECRET = "link-secret-0123456789";
    private static final String OWNER = "owner-viewer-token-0123";
    private static final String NEW_OWNER = "owner-viewer-token-9876";
    private static final String BACK_DEVICE = "back-device-token-0123";
    private static final String HOUSEHOLD = "back-household-0123456";
    private static final String NEW_HOUSEHOLD = "back-household-9876543";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    /** A server with the owner's token {@code owner} and the back household's {@code household}. */
    private static ConfigurableApplicationContext start(String owner, String household) {
        return new SpringApplicationBuilder(DoorcastApplication.class).run("--server.port=0",
                "--doorcast.demo.enabled=false",
                "--doorcast.security.device-token=" + Doorbell.TOKEN,
                "--doorcast.security.link-secret=" + LINK_SECRET,
                "--doorcast.security.viewer-token=" + owner,
                "--doorcast.devices.back.token=" + BACK_DEVICE,
                "--doorcast.devices.back.viewer-token=" + household);
    }

    private static int port(ConfigurableApplicationContext server) {
        return ((WebServerApplicationContext) server).getWebServer().getPort();
    }

    private String link(ConfigurableApplicationContext server, String token) throws Exception {
        HttpResponse<String> made = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(server)
                        + "/api/v1/stream/access?device=back")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
        return JSON.readTree(made.body()).path("access").asString();
    }

    private HttpResponse<String> use(ConfigurableApplicationContext server, String link) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(server)
                + "/api/v1/stream/stats?device=back&access=" + link)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void assertRevoked(HttpResponse<String> refused) {
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.path("success").asBoolean(true)).isFalse();
        assertThat(problem.path("detail").asString()).contains("revoked").contains("ask for a new one");
    }

    @Test
    void rotatingATokenRevokesTheLinksMadeWithItAndNoOthers() throws Exception {
        List<ConfigurableApplicationContext> servers = new ArrayList<>();
        try {
            ConfigurableApplicationContext first = start(OWNER, HOUSEHOLD);
            servers.add(first);
            String byHousehold = link(first, HOUSEHOLD);
            String byOwner = link(first, OWNER);
            assertThat(use(first, byHousehold).statusCode()).isEqualTo(200);
            assertThat(use(first, byOwner).statusCode()).isEqualTo(200);
            first.close();

            ConfigurableApplicationContext householdRotated = start(OWNER, NEW_HOUSEHOLD);
            servers.add(householdRotated);
            assertRevoked(use(householdRotated, byHousehold));
            assertThat(use(householdRotated, byOwner).statusCode()).as("the owner's link survives").isEqualTo(200);
            String byNewHousehold = link(householdRotated, NEW_HOUSEHOLD);
            householdRotated.close();

            ConfigurableApplicationContext ownerRotated = start(NEW_OWNER, NEW_HOUSEHOLD);
            servers.add(ownerRotated);
            assertRevoked(use(ownerRotated, byOwner));
            assertThat(use(ownerRotated, byNewHousehold).statusCode()).as("the household's link survives")
                    .isEqualTo(200);
            assertRevoked(use(ownerRotated, byHousehold));
        } finally {
            servers.forEach(ConfigurableApplicationContext::close);
        }
    }
}
