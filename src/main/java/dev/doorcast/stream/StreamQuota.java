package dev.doorcast.stream;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.doorcast.system.ApiException;
import dev.doorcast.system.CappedCounts;
import dev.doorcast.system.StreamClaim;

/**
 * How many streams may be open: on the whole server, per household (its viewer token and every link to
 * its doorbell together), per client (a link, or an address), and how many of the server's and of each
 * household's are kept for viewer tokens. Admission is a few atomic operations and fails fast, so that one
 * surge, one greedy link or one greedy household cannot degrade or lock out those already watching.
 */
public final class StreamQuota {

    private static final long RETRY_AFTER_SECONDS = 5;

    /** One admitted stream's place; {@link #release()} gives it back, once however often it is called. */
    final class Lease {
        private final String client;
        private final String household;
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Lease(String client, String household) {
            this.client = client;
            this.household = household;
        }

        void release() {
            if (held.compareAndSet(true, false)) {
                connected.decrementAndGet();
                give(perClient, client);
                give(perHousehold, household);
            }
        }
    }

    private final AtomicInteger connected = new AtomicInteger();
    private final CappedCounts perClient = new CappedCounts();
    private final CappedCounts perHousehold = new CappedCounts();
    private final int limit;
    private final int reserved;
    private final int maxPerClient;
    private final Set<String> households;
    private final int householdShare;
    private final boolean ownersReserve;

    /** A quota without households: streams count against the server and their client only. */
    public StreamQuota(int limit, int reserved, int maxPerClient) {
        this(limit, reserved, maxPerClient, Set.of(), 0, false);
    }

    /**
     * @param limit streams on the whole server
     * @param reserved of those, how many only viewer tokens may take (only the owner's, with
     *     {@code ownersReserve}); as many of each household's share are kept for its own token, which the
     *     links to its doorbell never take
     * @param maxPerClient streams one client may hold at once; 0 for no cap
     * @param households the devices that have a household's viewer token of their own
     * @param householdShare streams each of those households, its token and the links to its doorbell
     *     together, may hold at once
     * @param ownersReserve whether the reserved streams of the whole server are the owner's token's alone
     *     (there is one beside the households' tokens), so that it gets in whatever the households hold
     */
    public StreamQuota(int limit, int reserved, int maxPerClient, Set<String> households, int householdShare,
            boolean ownersReserve) {
        this.limit = limit;
        this.reserved = Math.min(reserved, limit);
        this.maxPerClient = maxPerClient;
        this.households = Set.copyOf(households);
        this.householdShare = householdShare;
        this.ownersReserve = ownersReserve;
    }

    /**
     * Each household's share when none is set: what is left of {@code limit} once the owner's reserved
     * streams are set aside, in equal parts, so that all households together can never fill the server
     * and the owner's token always gets in. At least one stream each.
     */
    public static int equalShare(int limit, int reserved, boolean owner, int households) {
        int seats = owner ? limit - Math.min(reserved, limit) : limit;
        return Math.max(1, seats / Math.max(1, households));
    }

    /**
     * Admits a stream.
     *
     * @throws ApiException 503 with Retry-After when the server, or this client, is at its limit
     */
    Lease admit(StreamClaim claim) {
        String household = claim.device() != null && households.contains(claim.device()) ? claim.device() : "";
        boolean mayTakeReserve = claim.household() && (household.isEmpty() || !ownersReserve);
        int room = mayTakeReserve ? limit : limit - reserved;
        if (connected.incrementAndGet() > room) {
            connected.decrementAndGet();
            throw ApiException.unavailable("Too many viewers",
                    "This server already streams to its limit of " + limit + " viewers; try again shortly",
                    RETRY_AFTER_SECONDS);
        }
        // Within its share, as on the whole server, a household's links stop short of the reserved streams.
        int share = claim.household() ? householdShare : householdShare - reserved;
        if (!household.isEmpty() && !perHousehold.take(household, share)) {
            connected.decrementAndGet();
            throw ApiException.unavailable("Too many streams for one household",
                    "The household of '" + household + "' already holds " + (claim.household()
                            ? "its share of " + share + " streams on this server"
                            : share + " streams through links, what its links may share on this server")
                            + "; close one first", RETRY_AFTER_SECONDS);
        }
        String client = claim.household() || maxPerClient == 0 ? "" : claim.client();
        if (!client.isEmpty() && !perClient.take(client, maxPerClient)) {
            connected.decrementAndGet();
            give(perHousehold, household);
            throw ApiException.unavailable("Too many streams for one client",
                    "This " + (client.startsWith("link:") ? "access link" : "client") + " already holds "
                            + maxPerClient + " streams, its limit; close one first",
                    RETRY_AFTER_SECONDS);
        }
        return new Lease(client, household);
    }

    /** Gives back one stream of {@code key} ({@code ""} for none counted), forgetting a key that holds none. */
    private static void give(CappedCounts counts, String key) {
        if (!key.isEmpty()) {
            counts.give(key);
        }
    }

    int connected() {
        return connected.get();
    }

    /** Clients holding at least one stream right now (for tests and metrics). */
    int clients() {
        return perClient.keys();
    }

    /** Streams {@code household}'s token and the links to its doorbell hold right now. */
    int heldBy(String household) {
        return perHousehold.of(household);
    }
}
