package dev.doorcast.relay;

import java.util.Map;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class RedisSettingsTest {

    @Test
    void nothingSetMeansTheLocalRedisOnItsDefaultPort() {
        RedisURI uri = bind(Map.of()).uri();

        assertThat(uri.getHost()).isEqualTo("localhost");
        assertThat(uri.getPort()).isEqualTo(6379);
        assertThat(uri.getDatabase()).isZero();
        assertThat(uri.getPassword()).isNull();
    }

    @Test
    void aUrlFromTheEnvironmentWinsOverHostAndPort() {
        RedisSettings settings = bindEnvironment(Map.of(
                "SPRING_DATA_REDIS_URL", "rediss://doorcast:s3cret@redis.example.com:6380/2",
                "SPRING_DATA_REDIS_HOST", "ignored.example.com"));

        RedisURI uri = settings.uri();

        assertThat(uri.getHost()).isEqualTo("redis.example.com");
        assertThat(uri.getPort()).isEqualTo(6380);
        assertThat(uri.getDatabase()).isEqualTo(2);
        assertThat(uri.isSsl()).isTrue();
        assertThat(uri.getUsername()).isEqualTo("doorcast");
        assertThat(new String(uri.getPassword())).isEqualTo("s3cret");
    }

    @Test
    void hostPortDatabaseAndCredentialsWithoutAUrl() {
        RedisURI uri = bind(Map.of(
                "spring.data.redis.host", "redis.internal",
                "spring.data.redis.port", "6390",
                "spring.data.redis.database", "3",
                "spring.data.redis.username", "relay",
                "spring.data.redis.password", "pw")).uri();

        assertThat(uri.getHost()).isEqualTo("redis.internal");
        assertThat(uri.getPort()).isEqualTo(6390);
        assertThat(uri.getDatabase()).isEqualTo(3);
        assertThat(uri.getUsername()).isEqualTo("relay");
        assertThat(new String(uri.getPassword())).isEqualTo("pw");
    }

    @Test
    void aPasswordAloneAuthenticatesAsTheDefaultUser() {
        RedisURI uri = bind(Map.of("spring.data.redis.password", "only-a-password")).uri();

        assertThat(uri.getUsername()).isNull();
        assertThat(new String(uri.getPassword())).isEqualTo("only-a-password");
    }

    private static RedisSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("spring.data.redis", RedisSettings.class);
    }

    /** As the server reads environment variables: SPRING_DATA_REDIS_URL is spring.data.redis.url. */
    private static RedisSettings bindEnvironment(Map<String, String> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME + "-test", Map.copyOf(variables)));
        ConfigurationPropertySources.attach(environment);
        return Binder.get(environment).bindOrCreate("spring.data.redis", RedisSettings.class);
    }
}
