package dev.doorcast.push;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.time.InstantSource;

import javax.sql.DataSource;

import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.InvalidSettingException;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class PushConfiguration {

    static final String PRIVATE_KEY_SETTING = "doorcast.push.vapid-private-key";

    private static final Logger log = LoggerFactory.getLogger(PushConfiguration.class);

    /** Used once Flyway has made the tables ({@code db/migration}). */
    @Bean
    @DependsOnDatabaseInitialization
    PushStore pushStore(DataSource dataSource, PlatformTransactionManager transactions, InstantSource clock,
            DoorcastProperties properties) {
        return new PushStore(JdbcClient.create(dataSource), new TransactionTemplate(transactions), clock,
                properties.push().maxSubscriptions(), properties.push().maxSubscriptionsPerCredential());
    }

    /** The key of the setting when set, else the one kept in the store, made on the first start. */
    @Bean
    VapidKeys vapidKeys(PushStore store, DoorcastProperties properties) {
        DoorcastProperties.Push push = properties.push();
        String set = push.vapidPrivateKey();
        ECPrivateKey key;
        if (set != null && !set.isBlank()) {
            try {
                key = P256.privateKey(P256.fromBase64Url(set.strip()));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(PRIVATE_KEY_SETTING, "The VAPID private key is not a P-256 key: "
                        + e.getMessage() + ".", "Set it to the raw 32-byte private key in base64url (43 characters, "
                        + "as web-push generate-vapid-keys prints it), or leave it unset to have one made and kept "
                        + "in the store.");
            }
        } else {
            key = P256.privateKey(P256.fromBase64Url(store.vapidPrivateKey(
                    () -> P256.base64Url(P256.encode((ECPrivateKey) P256.generate().getPrivate())))));
        }
        VapidKeys keys = new VapidKeys(key, push.subject());
        if (push.subject() == null || push.subject().isBlank()) {
            // INFO, not WARN: a server on a LAN or a demo may never push to Apple. The first push that goes
            // to Apple's service without a subject warns (VapidKeys).
            log.info("Pushes carry no VAPID subject, and Apple's push service refuses them: set {} to mailto:<your "
                    + "address> or an https: URL.", VapidKeys.SUBJECT_SETTING);
        }
        return keys;
    }

    /** Tokens are hashed with a key derived from the VAPID key: kept as long as the subscriptions are good. */
    @Bean
    PushCredentials pushCredentials(VapidKeys keys, DoorcastProperties properties) {
        byte[] key = PushEncryption.hmac(P256.encode(keys.privateKey()),
                "doorcast push credentials".getBytes(StandardCharsets.US_ASCII));
        return PushCredentials.from(properties, key);
    }

    @Bean
    SubscriptionBody subscriptionBody(DoorcastProperties properties) {
        return new SubscriptionBody(new AllowedEndpoints(properties.push().allowedEndpoints()));
    }

    /** The sender, told of every device's rings. */
    @Bean
    PushSender pushSender(PushStore store, PushCredentials credentials, VapidKeys keys, DoorcastProperties properties,
            InstantSource clock, MeterRegistry meters, DeviceStreams streams) {
        PushSender sender = new PushSender(store, credentials, keys, properties.push(), clock, meters);
        for (String device : streams.devices()) {
            streams.buffer(device).addListener(new RingPusher(device, sender));
        }
        return sender;
    }
}
