package dev.doorcast.system;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

@LiveServerTest
class ApiDocsTest {

    @LocalServerPort
    int port;

    @Test
    void openApiDescribesTheStreamsWithTheirRealContentTypes() {
        var response = new Doorbell(port).get("/v3/api-docs");
        JsonNode paths = JsonMapper.builder().build().readTree(response.body()).path("paths");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(paths.at("/~1api~1v1~1stream~1camera/get/responses/200/content").has(
                "multipart/x-mixed-replace;boundary=doorcast")).isTrue();
        assertThat(paths.at("/~1api~1v1~1stream~1audio/get/responses/200/content").has("audio/pcm")).isTrue();
        assertThat(paths.at("/~1api~1v1~1stream~1audio/get/responses/200/content").has("audio/wav")).isTrue();
        assertThat(paths.at("/~1api~1v1~1stream~1camera~1snapshot/get/responses/200/content").has("image/jpeg"))
                .isTrue();
        assertThat(paths.at("/~1api~1v1~1devices~1doorbell~1camera-stream/post/requestBody/content")
                .has("multipart/form-data")).isTrue();
        assertThat(paths.at("/~1api~1v1~1devices~1doorbell~1camera-stream/post/security/0").has("deviceToken"))
                .isTrue();
    }

    @Test
    void theDeviceIsAQueryParameterAndNoBody() {
        JsonNode paths = JsonMapper.builder().build().readTree(new Doorbell(port).get("/v3/api-docs").body())
                .path("paths");

        for (String path : new String[] {"/~1api~1v1~1stream~1camera/get", "/~1api~1v1~1stream~1stats/get",
                "/~1api~1v1~1stream~1access/post", "/~1api~1v1~1stream~1talk/post",
                "/~1api~1v1~1stream~1rings~1{ringId}~1clip/get"}) {
            JsonNode device = null;
            for (JsonNode parameter : paths.at(path + "/parameters")) {
                if (parameter.path("name").asString().equals("device")) {
                    device = parameter;
                }
            }
            assertThat(device).as(path).isNotNull();
            assertThat(device.path("in").asString()).as(path).isEqualTo("query");
            assertThat(device.path("schema").path("type").asString()).as(path).isEqualTo("string");
        }
        assertThat(paths.at("/~1api~1v1~1stream~1access/post").has("requestBody")).isFalse();
    }

    @Test
    void browsableUiIsServed() {
        var ui = new Doorbell(port).get("/swagger-ui/index.html");

        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(new String(ui.body())).contains("swagger-ui");
    }
}
