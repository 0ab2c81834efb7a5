package dev.doorcast.relay;

import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the relay's Redis is, under Spring Boot's own names ({@code spring.data.redis.url}, or host, port,
 * database, username and password), so that {@code SPRING_DATA_REDIS_URL} works as anyone who has deployed
 * a Spring application expects. doorcast binds them itself: the relay needs one Lettuce client, not Spring
 * Data Redis, which would bring Spring Data, transactions and OXM with their auto-configuration to every
 * instance, relay or not.
 *
 * @param url {@code redis://[user:password@]host:port[/database]}, or {@code rediss://} for TLS; when set,
 *     the other settings are not used
 */
@ConfigurationProperties("spring.data.redis")
record RedisSettings(
        @Nullable String url,
        @DefaultValue("localhost") String host,
        @DefaultValue("6379") int port,
        @DefaultValue("0") int database,
        @Nullable String username,
        @Nullable String password) {

    /** Where to connect: the URL when there is one, else host, port, database and credentials. */
    RedisURI uri() {
        if (url != null) {
            return RedisURI.create(url);
        }
        RedisURI.Builder builder = RedisURI.builder().withHost(host).withPort(port).withDatabase(database);
        if (password != null) {
            builder = username != null
                    ? builder.withAuthentication(username, password)
                    : builder.withPassword(password.toCharArray());
        }
        return builder.build();
    }
}
