package dev.doorcast.stream;

/** Thrown when a viewer would take the server past {@code doorcast.limits.max-viewers}. */
public final class ViewerLimitException extends RuntimeException {

    public ViewerLimitException(int limit) {
        super("This server already streams to its limit of " + limit + " viewers; try again shortly");
    }
}
