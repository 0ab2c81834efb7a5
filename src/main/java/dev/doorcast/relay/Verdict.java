package dev.doorcast.relay;

/** What becomes of one message from Redis. */
sealed interface Verdict {

    Verdict OWN = new Own();

    /** Goes into the buffer. */
    record Take(RelayMessage message) implements Verdict {
    }

    /** This instance's own message, back from Redis: nothing wrong, nothing to do. */
    record Own() implements Verdict {
    }

    /** Dropped, and counted under its reason. */
    record Drop(Rejection reason) implements Verdict {
    }
}
