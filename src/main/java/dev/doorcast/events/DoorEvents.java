package dev.doorcast.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * One device's recent events, oldest overwritten first, and whether it is online now. Publishing numbers
 * the event, keeps it, and wakes whoever delivers events; a stream walks the log forward from where it
 * joined, so no event is lost to a busy stream unless it falls a whole log behind.
 */
public final class DoorEvents {

    /** Events kept for streams that are behind: far more than rings (about one a second at most) ever need. */
    static final int CAPACITY = 64;

    /** Where a new stream starts: the state to tell it first, and the last event it need not be sent. */
    public record Start(DoorEvent presence, long sequence) {
    }

    private final String device;
    private final DoorEvent[] log = new DoorEvent[CAPACITY];
    private final List<Runnable> wakers = new CopyOnWriteArrayList<>();
    private long newest;
    private DoorEvent presence;

    DoorEvents(String device, long since) {
        this.device = device;
        this.presence = DoorEvent.of(0, "offline", EventData.presence(device, since));
    }

    public String device() {
        return device;
    }

    /** Runs {@code waker} after each event is published, on the publisher's thread: it must return at once. */
    public void onPublish(Runnable waker) {
        wakers.add(waker);
    }

    /** Numbers and keeps an event, then wakes the streams. Online and offline also become the state. */
    DoorEvent publish(String type, String data) {
        DoorEvent event;
        synchronized (this) {
            event = DoorEvent.of(++newest, type, data);
            log[(int) (event.sequence() % CAPACITY)] = event;
            if (!type.equals("ring")) {
                presence = event;
            }
        }
        for (Runnable waker : wakers) {
            waker.run();
        }
        return event;
    }

    /** The state and the newest number, read together, so that a new stream sees every change once. */
    public synchronized Start start() {
        return new Start(presence, newest);
    }

    /**
     * The event a stream that has sent up to {@code sequence} should send next: the one right after it, or
     * the oldest still kept if that one is gone; null when it has them all.
     */
    public synchronized @Nullable DoorEvent after(long sequence) {
        long oldest = Math.max(1, newest - CAPACITY + 1);
        long wanted = Math.max(sequence + 1, oldest);
        return wanted > newest ? null : log[(int) (wanted % CAPACITY)];
    }

    /** Whether the device counts as online now. */
    public synchronized boolean online() {
        return presence.type().equals("online");
    }

    /** Events published since start. */
    public synchronized long published() {
        return newest;
    }
}
