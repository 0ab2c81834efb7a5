package dev.doorcast.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.doorcast.system.ApiException;

/**
 * How many streams may be open: on the whole server, per client (a link, or an address), and how many of
 * the server's are kept for the household's viewer tokens. Admission is a few atomic operations and fails
 * fast, so that one surge or one greedy link cannot degrade or lock out those already watching.
 */
final class StreamQuota {

    private static final long RETRY_AFTER_SECONDS = 5;

    /** One admitted stream's place; {@link #release()} gives it back, once however often it is called. */
    final class Lease {
        private final String client;
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Lease(String client) {
            this.client = client;
        }

        void release() {
            if (held.compareAndSet(true, false)) {
                connected.decrementAndGet();
                if (!client.isEmpty()) {
                    perClient.computeIfPresent(client, (key, count) -> count == 1 ? null : count - 1);
                }
            }
        }
    }

    private final AtomicInteger connected = new AtomicInteger();
    private final Map<String, Integer> perClient = new ConcurrentHashMap<>();
    private final int limit;
    private final int reserved;
    private final int maxPerClient;

    /**
     * @param limit streams on the whole server
     * @param reserved of those, how many only household claims may take
     * @param maxPerClient streams one client may hold at once; 0 for no cap
     */
    StreamQuota(int limit, int reserved, int maxPerClient) {
        this.limit = limit;
        this.reserved = Math.min(reserved, limit);
        this.maxPerClient = maxPerClient;
    }

    /**
     * Admits a stream.
     *
     * @throws ApiException 503 with Retry-After when the server, or this client, is at its limit
     */
    Lease admit(StreamClaim claim) {
        int room = claim.household() ? limit : limit - reserved;
        if (connected.incrementAndGet() > room) {
            connected.decrementAndGet();
            throw ApiException.unavailable("Too many viewers",
                    "This server already streams to its limit of " + limit + " viewers; try again shortly",
                    RETRY_AFTER_SECONDS);
        }
        String client = claim.household() || maxPerClient == 0 ? "" : claim.client();
        if (!client.isEmpty() && !takeClientSlot(client)) {
            connected.decrementAndGet();
            throw ApiException.unavailable("Too many streams for one client",
                    "This " + (client.startsWith("link:") ? "access link" : "client") + " already holds "
                            + maxPerClient + " streams, its limit; close one first",
                    RETRY_AFTER_SECONDS);
        }
        return new Lease(client);
    }

    /** Counts one more stream for {@code client} unless it is at its cap; atomic per client. */
    private boolean takeClientSlot(String client) {
        boolean[] taken = {false};
        perClient.compute(client, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxPerClient) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    int connected() {
        return connected.get();
    }

    /** Clients holding at least one stream right now (for tests and metrics). */
    int clients() {
        return perClient.size();
    }
}
