package dev.doorcast.system;

import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operations.md lists every setting with its real default, and every renamed one with its new name,
 * checked against the generated metadata.
 */
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
            JsonNode replacement = property.path("deprecation").path("replacement");
            if (!replacement.isMissingNode()) {
                assertThat(doc).as("renamed %s", name)
                        .contains("| `" + name + "` | `" + replacement.asString() + "` |");
                continue;
            }
            JsonNode fallback = property.path("defaultValue");
            String expected = fallback.isMissingNode() || fallback.isNull() ? "none" : "`" + fallback.asString() + "`";
            assertThat(doc).as("row for %s", name).contains("| `" + name + "` | " + expected + " |");
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(11);
    }

    /** Per-device settings sit under a map key, which the generated metadata does not list one by one. */
    @Test
    void everyPerDeviceSettingIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs/operations.md"));

        for (RecordComponent component : DoorcastProperties.Device.class.getRecordComponents()) {
            String kebab = component.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
            String name = "doorcast.devices.<id>." + kebab;
            assertThat(doc).as("docs/operations.md names %s", name).contains("`" + name);
        }
    }
}
