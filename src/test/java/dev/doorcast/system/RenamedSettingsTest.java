package dev.doorcast.system;

import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import dev.doorcast.DoorcastApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** A setting that moved still works under its old name for a release, and says its new one. */
@ExtendWith(OutputCaptureExtension.class)
class RenamedSettingsTest {

    @Test
    void anOldNameStillTakesEffectAndTheWarningNamesTheNewOne(CapturedOutput output) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DoorcastApplication.class)
                .run("--server.port=0", "--doorcast.limits.request-head-timeout=3s",
                        "--doorcast.stream.device-offline-after=2s")) {
            DoorcastProperties properties = context.getBean(DoorcastProperties.class);

            assertThat(properties.http().requestHeadTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(properties.presence().offlineAfter()).isEqualTo(Duration.ofSeconds(2));
        }
        assertThat(output.getAll())
                .containsPattern("WARN .*doorcast.limits.request-head-timeout is renamed "
                        + "doorcast.http.request-head-timeout")
                .containsPattern("WARN .*doorcast.stream.device-offline-after is renamed "
                        + "doorcast.presence.offline-after");
    }

    @Test
    void anOldNameFromTheEnvironmentIsReadAsTheNewOne() {
        StandardEnvironment environment = environment(Map.of("DOORCAST_LIMITS_REQUEST_HEAD_TIMEOUT", "7s",
                "DOORCAST_STREAM_DEVICEOFFLINEAFTER", "9s"));

        new RenamedSettings(new DeferredLogs()).postProcessEnvironment(environment, null);

        Binder binder = Binder.get(environment);
        assertThat(binder.bind("doorcast.http.request-head-timeout", Duration.class).get())
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(binder.bind("doorcast.presence.offline-after", Duration.class).get())
                .isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void theNewNameWinsWhenBothAreSet() {
        StandardEnvironment environment = environment(Map.of("DOORCAST_LIMITS_REQUEST_HEAD_TIMEOUT", "7s"));
        environment.getPropertySources().addFirst(new MapPropertySource("application",
                Map.of("doorcast.http.request-head-timeout", "2s")));

        new RenamedSettings(new DeferredLogs()).postProcessEnvironment(environment, null);

        assertThat(Binder.get(environment).bind("doorcast.http.request-head-timeout", Duration.class).get())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(environment.getPropertySources().contains(RenamedSettings.SOURCE)).isFalse();
    }

    @Test
    void theBuildsMetadataDeprecatesExactlyTheRenamedNamesForTheirNewOnes() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = JsonMapper.builder().build().readTree(in);
        }
        Map<String, String> deprecated = new TreeMap<>();
        for (JsonNode property : metadata.path("properties")) {
            JsonNode replacement = property.path("deprecation").path("replacement");
            if (property.path("name").asString().startsWith("doorcast.") && !replacement.isMissingNode()) {
                deprecated.put(property.path("name").asString(), replacement.asString());
            }
        }

        assertThat(deprecated).isEqualTo(new TreeMap<>(RenamedSettings.RENAMED));
    }

    private static StandardEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        variables));
        ConfigurationPropertySources.attach(environment);
        return environment;
    }
}
