package dev.doorcast.push;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

import dev.doorcast.system.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Subscriptions and the VAPID key, in the store (H2 or PostgreSQL, see {@code V10__push.sql}). */
final class PushStore {

    /** One stored subscription. */
    record Subscription(String id, String endpoint, String p256dh, String auth, @Nullable String device,
            String holder, String credential, long createdAt) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final InstantSource clock;
    private final int maxSubscriptions;
    private final int maxPerHolder;

    PushStore(JdbcClient jdbc, TransactionTemplate transactions, InstantSource clock, int maxSubscriptions,
            int maxPerHolder) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.maxSubscriptions = maxSubscriptions;
        this.maxPerHolder = maxPerHolder;
    }

    /**
     * The VAPID private key kept in the store, made now if there is none yet. Several instances starting
     * together on one store agree: the first insert wins and the others read it.
     */
    String vapidPrivateKey(java.util.function.Supplier<String> make) {
        Optional<String> kept = keptKey();
        if (kept.isPresent()) {
            return kept.get();
        }
        try {
            jdbc.sql("INSERT INTO push_vapid_key (id, private_key, created_at) VALUES (1, ?, ?)")
                    .params(make.get(), clock.millis()).update();
        } catch (DuplicateKeyException anotherInstanceWasFirst) {
            // Read below.
        }
        return keptKey().orElseThrow();
    }

    private Optional<String> keptKey() {
        return jdbc.sql("SELECT private_key FROM push_vapid_key WHERE id = 1").query(String.class).optional();
    }

    /**
     * Keeps a subscription and returns its new id. The same endpoint subscribed again (a browser renews its
     * keys, or the page asks twice) replaces the old row, so that a phone is pushed to once.
     *
     * @throws ApiException 409 when the holder already has its share, 503 when the store has its total
     */
    synchronized String add(String endpoint, String p256dh, String auth, @Nullable String device, String holder,
            String credential) {
        String id = newId();
        return transactions.execute(status -> {
            // Thrown refusals roll the replaced row back too.
            jdbc.sql("DELETE FROM push_subscription WHERE endpoint = ?").param(endpoint).update();
            long held = jdbc.sql("SELECT COUNT(*) FROM push_subscription WHERE holder = ?").param(holder)
                    .query(Long.class).single();
            if (held >= maxPerHolder) {
                throw new ApiException(HttpStatus.CONFLICT, "Too many subscriptions", "This credential holds "
                        + held + " push subscriptions, the most it may (doorcast.push.max-subscriptions-per-credential)"
                        + ": delete one first");
            }
            long all = jdbc.sql("SELECT COUNT(*) FROM push_subscription").query(Long.class).single();
            if (all >= maxSubscriptions) {
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Too many subscriptions", "The server "
                        + "keeps " + all + " push subscriptions, the most it may (doorcast.push.max-subscriptions)");
            }
            jdbc.sql("INSERT INTO push_subscription (id, endpoint, p256dh, auth, device, holder, credential, "
                    + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(id, endpoint, p256dh, auth, device, holder, credential, clock.millis()).update();
            return id;
        });
    }

    /** The subscription kept under {@code id}, if any. */
    Optional<Subscription> find(String id) {
        return jdbc.sql("SELECT * FROM push_subscription WHERE id = ?").param(id).query(Subscription.class).optional();
    }

    /** Every subscription that is for {@code device} or for every device; whose credential still opens it is the caller's to judge. */
    List<Subscription> forDevice(String device) {
        return jdbc.sql("SELECT * FROM push_subscription WHERE device IS NULL OR device = ?").param(device)
                .query(Subscription.class).list();
    }

    /** Forgets a subscription; whether there was one. */
    boolean remove(String id) {
        return jdbc.sql("DELETE FROM push_subscription WHERE id = ?").param(id).update() > 0;
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM push_subscription").query(Long.class).single();
    }

    /** 128 random bits, base64url: an id nobody guesses, which alone lets its holder delete it. */
    private static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return P256.base64Url(bytes);
    }
}
