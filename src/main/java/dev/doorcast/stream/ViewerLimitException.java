package dev.doorcast.stream;

/**
 * Thrown when a viewer cannot be taken now: the server is at {@code doorcast.limits.max-viewers}, or
 * shutting down. Answered 503 with {@code Retry-After}.
 */
public final class ViewerLimitException extends RuntimeException {

    public ViewerLimitException(int limit) {
        this("This server already streams to its limit of " + limit + " viewers; try again shortly");
    }

    ViewerLimitException(String message) {
        super(message);
    }
}
