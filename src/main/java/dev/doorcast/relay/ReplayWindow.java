package dev.doorcast.relay;

/**
 * The serials one sender's messages were taken with, as IPsec keeps them against replay (RFC 4303,
 * 3.4.3): the highest so far and which of the 63 before it were seen. A serial is taken once; one more
 * than {@link #SIZE} below the highest is refused, as too old to tell. Messages from one instance arrive
 * in the order it published them, bar two posts finishing at the same moment, so a window of 64 is plenty.
 */
final class ReplayWindow {

    static final int SIZE = Long.SIZE;

    private long highest;
    private long seen;
    private volatile long lastTaken;

    ReplayWindow(long now) {
        this.lastTaken = now;
    }

    /** Takes {@code serial} if it is new; false if it was taken before or is too old to tell. */
    synchronized boolean take(long serial, long now) {
        if (serial <= 0) {
            return false;
        }
        if (serial > highest) {
            long shift = serial - highest;
            seen = shift >= SIZE ? 1 : seen << shift | 1;
            highest = serial;
        } else {
            long behind = highest - serial;
            if (behind >= SIZE || (seen & 1L << behind) != 0) {
                return false;
            }
            seen |= 1L << behind;
        }
        lastTaken = now;
        return true;
    }

    /** When this window last took a serial (or was made), epoch ms. */
    long lastTaken() {
        return lastTaken;
    }
}
