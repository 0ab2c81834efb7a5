package dev.doorcast.link;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The open link of each doorbell: one at most. A doorbell that reboots connects again while its old
 * connection may still look open (half-open TCP can take minutes to notice); the newer link replaces the
 * older one, which is closed with code 4000 and says why.
 */
@Component
public class DoorbellLinks implements SmartLifecycle {

    /** The close code of a link that a newer link of the same doorbell replaced. */
    static final int REPLACED = 4000;
    /** How soon a press without a capture time may come again and still be the same press. */
    static final long REPEAT_WITHIN_MS = 30_000;

    /** Whether a doorbell is on a link, since when, and its last round trip (-1 before the first pong). */
    public record State(boolean connected, long since, long roundTripMillis) {

        static final State NONE = new State(false, 0, -1);
    }

    private final Map<String, DoorbellLink> open = new ConcurrentHashMap<>();
    private final AtomicLong handshakes = new AtomicLong();
    private final Map<String, Press> lastPress = new ConcurrentHashMap<>();
    private volatile boolean running;

    /** The doorbell's link state now. */
    public State state(String device) {
        DoorbellLink link = open.get(device);
        return link == null ? State.NONE : new State(true, link.openedAt(), link.roundTripMillis());
    }

    /** The next link's place in the order of handshakes; taken on the thread that answers the handshake. */
    long nextHandshake() {
        return handshakes.incrementAndGet();
    }

    /**
     * A link starts: it replaces the doorbell's older one. Links start on their own threads, which may run in
     * another order than their handshakes were answered in; so a link whose doorbell has since opened a newer
     * one is the one closed, and the newer one stays.
     */
    void opened(DoorbellLink link) {
        List<DoorbellLink> replaced = new ArrayList<>(1);
        DoorbellLink kept = open.compute(link.device(), (device, current) -> {
            if (current != null && current.handshake() > link.handshake()) {
                return current;
            }
            if (current != null) {
                replaced.add(current);
            }
            return link;
        });
        replaced.forEach(older -> older.close(REPLACED, "a newer link of this doorbell replaced this one"));
        if (kept != link) {
            link.close(REPLACED, "a newer link of this doorbell replaced this one");
        }
        if (!running) {
            link.close(1001, "the server is going away");
        }
    }

    /**
     * Has every open link tell its doorbell if anyone started or stopped watching or listening, and ends the
     * links silent past their limit.
     */
    public void sweep() {
        open.values().forEach(DoorbellLink::sweep);
    }

    void closed(DoorbellLink link) {
        open.remove(link.device(), link);
    }

    /** A press as the doorbell numbered and timed it, and when it came (server ms). */
    private record Press(long counter, long timestamp, long arrived) {
    }

    /**
     * Whether a ring is news, or the same press sent again on a new link because the doorbell could not know
     * whether the old link took it: the same counter and the same capture time. The counter starts again at
     * each boot, so without a capture time (0) only a repeat within {@link #REPEAT_WITHIN_MS} counts as one.
     */
    boolean firstPress(String device, long counter, long timestamp, long now) {
        Press before = lastPress.put(device, new Press(counter, timestamp, now));
        return before == null || before.counter() != counter || before.timestamp() != timestamp
                || timestamp == 0 && now - before.arrived() > REPEAT_WITHIN_MS;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Says goodbye to every doorbell before the connector closes: 1001, so they reconnect elsewhere at once. */
    @Override
    public void stop() {
        running = false;
        open.values().forEach(link -> link.close(1001, "the server is going away"));
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
