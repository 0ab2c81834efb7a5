package dev.doorcast.system;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as an RFC 9457 problem, plus the {@code "success": false} field that clients of the
 * original API read. Spring's own request errors (missing part, wrong type, 404, 405, 415, upload too
 * large) come through {@link ResponseEntityExceptionHandler}; ours through the handlers below.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private final long maxFrameSize;

    ApiExceptionHandler(DoorcastProperties properties) {
        this.maxFrameSize = properties.limits().maxFrameSize().toBytes();
    }

    @ExceptionHandler
    ResponseEntity<Object> handle(ApiException ex, WebRequest request) {
        HttpHeaders headers = new HttpHeaders();
        if (ex.retryAfterSeconds() > 0) {
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(ex.retryAfterSeconds()));
        }
        return problem(ex, ex.status(), ex.title(), ex.getMessage(), headers, request);
    }

    /** Reached through the security entry point, which hands authentication failures to this resolver. */
    @ExceptionHandler
    ResponseEntity<Object> handle(AuthenticationException ex, WebRequest request) {
        // The filters that refuse a wrong credential word their BadCredentialsException for the client.
        boolean wrongToken = ex instanceof BadCredentialsException;
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE,
                wrongToken ? "Bearer realm=\"doorcast\", error=\"invalid_token\"" : "Bearer realm=\"doorcast\"");
        return problem(ex, HttpStatus.UNAUTHORIZED, null, wrongToken ? ex.getMessage()
                : "This endpoint needs an Authorization: Bearer <token> header (or, for viewers, an access link)",
                headers, request);
    }

    /**
     * A multipart body the container could not parse (no boundary, truncated, garbage). Spring leaves this
     * to the default 500; it is the client's mistake. Too-large uploads are a subclass with their own 413.
     */
    @ExceptionHandler
    ResponseEntity<Object> handle(MultipartException ex, WebRequest request) {
        return problem(ex, HttpStatus.BAD_REQUEST, null, "The multipart body could not be parsed",
                new HttpHeaders(), request);
    }

    /** Spring's own words ("Maximum upload size exceeded") do not say what the limit is. */
    @Override
    protected @Nullable ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, "The frame is larger than the limit of "
                + maxFrameSize + " bytes (doorcast.limits.max-frame-size)");
        body.setTitle(HttpStatus.CONTENT_TOO_LARGE.getReasonPhrase());
        return handleExceptionInternal(ex, body, headers, status, request);
    }

    /** A query string the container could not decode, such as {@code ?fps=%%%}. */
    @ExceptionHandler
    ResponseEntity<Object> handle(InvalidParameterException ex, WebRequest request) {
        return problem(ex, HttpStatus.BAD_REQUEST, null, "The query string could not be decoded",
                new HttpHeaders(), request);
    }

    /** A viewer with an access link asking for what only the viewer token may do, such as a new link. */
    @ExceptionHandler
    ResponseEntity<Object> handle(AccessDeniedException ex, WebRequest request) {
        return problem(ex, HttpStatus.FORBIDDEN, null, "These credentials do not allow this request",
                new HttpHeaders(), request);
    }

    /** A problem with the given status and detail; the title is the status's reason phrase unless given. */
    private ResponseEntity<Object> problem(Exception ex, HttpStatus status, @Nullable String title, String detail,
            HttpHeaders headers, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(title != null ? title : status.getReasonPhrase());
        ResponseEntity<Object> response = handleExceptionInternal(ex, body, headers, status, request);
        return response == null ? ResponseEntity.status(status).headers(headers).body(body) : response;
    }

    /** Every problem this class answers passes through here, Spring's own included. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            problem.setProperty("success", false);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }
}
