package dev.doorcast.link;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    private final Map<String, Press> lastPress = new ConcurrentHashMap<>();
    private volatile boolean running;

    /** The doorbell's link state now. */
    public State state(String device) {
        DoorbellLink link = open.get(device);
        return link == null ? State.NONE : new State(true, link.openedAt(), link.roundTripMillis());
    }

    void opened(DoorbellLink link) {
        DoorbellLink older = open.put(link.device(), link);
        if (older != null) {
            older.close(REPLACED, "a newer link of this doorbell replaced this one");
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
