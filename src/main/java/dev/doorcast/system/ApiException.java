package dev.doorcast.system;

import org.springframework.http.HttpStatus;

/**
 * A request that cannot be served, with the status and the words the client gets back. Thrown before
 * anything is stored or counted, so a rejected request changes nothing.
 */
public final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final long retryAfterSeconds;

    public ApiException(HttpStatus status, String title, String detail) {
        this(status, title, detail, 0);
    }

    private ApiException(HttpStatus status, String title, String detail, long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The server cannot take this now (at its viewer limit, or shutting down); try again after a while. */
    public static ApiException unavailable(String title, String detail, long retryAfterSeconds) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, title, detail, retryAfterSeconds);
    }

    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, HttpStatus.TOO_MANY_REQUESTS.getReasonPhrase(), detail,
                retryAfterSeconds);
    }

    /** The request clashes with what someone else is doing (another talker holds the line); try again later. */
    public static ApiException conflict(String title, String detail, long retryAfterSeconds) {
        return new ApiException(HttpStatus.CONFLICT, title, detail, retryAfterSeconds);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, HttpStatus.BAD_REQUEST.getReasonPhrase(), detail);
    }

    public static ApiException notFound(String title, String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, title, detail);
    }

    public static ApiException tooLarge(String detail) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, HttpStatus.CONTENT_TOO_LARGE.getReasonPhrase(), detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** Seconds the client should wait before trying again, for the Retry-After header; 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
