package dev.doorcast.viewer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.doorcast.testing.Browser;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The page comes with a Content-Security-Policy that allows nothing inline and nothing from elsewhere, and it
 * works under it: every page test's browser fails on what the policy blocks ({@link Browser#close()}).
 */
@LiveServerTest
class ContentSecurityPolicyTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    @Test
    void thePageComesWithAPolicyThatAllowsOnlyItsOwnFilesAndNoFraming() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());

        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow(
                () -> new AssertionError("no Content-Security-Policy on the page"));
        assertThat(policy).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
                "media-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "*", "data:");
        assertThat(page.body()).as("no inline script or style for the policy to block")
                .doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("<style", " style=", " onclick=");
    }

    @Test
    void thePageRunsUnderItsPolicyAndTheBrowserEnforcesIt() {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(41));
        try (Browser browser = new Browser()) {
            browser.open("http://127.0.0.1:" + port + "/");
            await().atMost(PATIENCE).until(() -> browser.pictureHash() != null);
            doorbell.ring();
            await().atMost(PATIENCE).until(() -> browser.find("ring-banner").isDisplayed());
            assertThat(browser.takePolicyViolations()).as("the page, its picture and a ring, under the policy")
                    .isEmpty();

            Object ran = browser.script("""
                    const script = document.createElement('script');
                    script.textContent = 'window.injected = true';
                    document.head.append(script);
                    return window.injected === true;
                    """);

            assertThat(ran).as("an injected inline script does not run").isEqualTo(false);
            await().atMost(PATIENCE).until(() -> !browser.takePolicyViolations().isEmpty());
        }
    }
}
