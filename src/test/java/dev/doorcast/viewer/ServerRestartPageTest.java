package dev.doorcast.viewer;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import dev.doorcast.DoorcastApplication;
import dev.doorcast.testing.Browser;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server restarts under an open page: the page says so while the server is away and shows the moving
 * picture again once it is back, without a reload. The test starts and stops the server itself, twice on
 * one port, as a deploy or a crash and restart would.
 */
class ServerRestartPageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** How long the page may take to pick up again: the server's start, on a busy machine, and a retry. */
    private static final Duration COMEBACK = Duration.ofSeconds(30);

    @Test
    void thePageShowsTheMovingPictureAgainWhenTheServerComesBack() throws IOException {
        int port = freePort();
        ConfigurableApplicationContext server = start(port);
        try (Browser browser = new Browser()) {
            browser.open("http://127.0.0.1:" + port + "/");
            assertPictureMoves(browser, PATIENCE);
            browser.script("window.sameDocument = true;");

            server.close();
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(browser.text("status")).isEqualTo("Server unreachable");
                assertThat(browser.find("offline").isDisplayed()).isTrue();
            });

            server = start(port);
            assertPictureMoves(browser, COMEBACK);
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(browser.text("status")).isEqualTo("Live");
                assertThat(browser.find("offline").isDisplayed()).isFalse();
            });
            assertThat(browser.script("return window.sameDocument === true")).as("the page was not reloaded")
                    .isEqualTo(true);
        } finally {
            server.close();
        }
    }

    private static ConfigurableApplicationContext start(int port) {
        return new SpringApplicationBuilder(DoorcastApplication.class)
                .run("--server.port=" + port, "--doorcast.demo.enabled=true");
    }

    private static void assertPictureMoves(Browser browser, Duration patience) {
        Object first = await().atMost(patience).until(browser::pictureHash, hash -> hash != null);
        await().atMost(patience).untilAsserted(() -> assertThat(browser.pictureHash())
                .as("the picture changes as the doorbell's frames arrive").isNotNull().isNotEqualTo(first));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
