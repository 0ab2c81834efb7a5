package dev.doorcast.viewer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.doorcast.testing.Browser;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With several devices the page offers a picker by their names, and picking one moves picture, stats and
 * the page's title to it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.devices.front.token=" + DevicePickerPageTest.FRONT,
        "doorcast.devices.front.name=Front porch",
})
class DevicePickerPageTest {

    static final String FRONT = "picker-front-token";
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    @Test
    void pickerListsTheDevicesAndSwitchesThePageToTheOnePicked() {
        try (Browser browser = new Browser()) {
            browser.open("http://127.0.0.1:" + port + "/");
            await().atMost(PATIENCE).until(() -> browser.find("device-picker").isDisplayed());
            @SuppressWarnings("unchecked")
            List<String> ids = (List<String>) browser.script(
                    "return [...document.getElementById('device-picker').options].map(o => o.value)");
            assertThat(ids).containsExactly("doorbell", "front");
            assertThat(browser.script("return document.getElementById('device-picker').value")).isEqualTo("doorbell");
            assertThat(browser.script("return [...document.getElementById('device-picker').options]"
                    + ".map(o => o.textContent).join()")).asString().contains("Front porch");
            assertThat(browser.text("device-name")).isEqualTo("Front door");
            assertThat(browser.script("return document.title")).isEqualTo("Front door · doorcast");

            // The front door needs a picture: the browser counts the next page as loaded only once its
            // MJPEG <img> has a frame.
            new Doorbell(port).postFrame(TestMedia.jpeg(1), Map.of("frame_id", "1"), FRONT);
            browser.script("const picker = document.getElementById('device-picker'); picker.value = 'front';"
                    + " setTimeout(() => picker.dispatchEvent(new Event('change')));");

            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat((String) browser.script("return location.search")).contains("device=front");
                assertThat(browser.find("camera").getAttribute("src")).contains("device=front");
                assertThat(browser.script("return document.getElementById('device-picker').value")).isEqualTo("front");
                assertThat(browser.text("device-name")).isEqualTo("Front porch");
                assertThat(browser.script("return document.title")).isEqualTo("Front porch · doorcast");
            });
        }
    }
}
