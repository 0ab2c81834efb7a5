package dev.doorcast.system;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Settings that moved keep working under their old names for one release: an old name that is set, in any
 * of its forms ({@code DOORCAST_LIMITS_REQUEST_HEAD_TIMEOUT} as well), is read as its new name, unless the
 * new name is set too, and a warning at start names the new one. The old names are also deprecated, with
 * their replacements, in META-INF/additional-spring-configuration-metadata.json, which {@code RENAMED} must
 * agree with (a test holds them together).
 */
class RenamedSettings implements EnvironmentPostProcessor {

    /** Old name to new name. */
    static final Map<String, String> RENAMED = Map.of(
            "doorcast.limits.request-head-timeout", "doorcast.http.request-head-timeout",
            "doorcast.stream.device-offline-after", "doorcast.presence.offline-after");

    static final String SOURCE = "doorcast-renamed-settings";

    private final Log log;

    RenamedSettings(DeferredLogFactory logs) {
        this.log = logs.getLog(RenamedSettings.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        Map<String, Object> moved = new LinkedHashMap<>();
        RENAMED.forEach((old, renamed) -> binder.bind(old, Bindable.of(String.class)).ifBound(value -> {
            if (binder.bind(renamed, Bindable.of(String.class)).isBound()) {
                log.warn(old + " is set, and so is its new name " + renamed + ", which wins: remove " + old);
            } else {
                log.warn(old + " is renamed " + renamed + "; the old name works until the next release: "
                        + "set " + renamed + " instead");
                moved.put(renamed, value);
            }
        }));
        if (!moved.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE, moved));
        }
    }
}
