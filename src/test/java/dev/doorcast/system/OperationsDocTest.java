package dev.doorcast.system;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/operations.md lists every setting with its real default, checked against the generated metadata. */
class OperationsDocTest {

    @Test
    void everySettingIsDocumentedWithItsDefault() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("metadata written by spring-boot-configuration-processor").isNotNull();
            metadata = JsonMapper.builder().build().readTree(in);
        }
        String doc = Files.readString(Path.of("docs/operations.md"));

        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asString();
            if (!name.startsWith("doorcast.")) {
                continue;
            }
            names.add(name);
            JsonNode fallback = property.path("defaultValue");
            String expected = fallback.isMissingNode() || fallback.isNull() ? "none" : "`" + fallback.asString() + "`";
            assertThat(doc).as("row for %s", name).contains("| `" + name + "` | " + expected + " |");
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(11);
    }
}
