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
        ProblemDetail body = ProblemDetail.forStatusAndDetail(ex.status(), ex.getMessage());
        body.setTitle(ex.title());
        HttpHeaders headers = new HttpHeaders();
        if (ex.retryAfterSeconds() > 0) {
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(ex.retryAfterSeconds()));
        }
        return handleProblem(ex, body, headers, ex.status(), request);
    }

    /** Reached through the security entry point, which hands authentication failures to this resolver. */
    @ExceptionHandler
    ResponseEntity<Object> handle(AuthenticationException ex, WebRequest request) {
        HttpStatus status = HttpStatus.UNAUTHORIZED;
        // The filters that refuse a wrong credential word their BadCredentialsException for the client.
        boolean wrongToken = ex instanceof BadCredentialsException;
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, wrongToken ? ex.getMessage()
                : "This endpoint needs an Authorization: Bearer <token> header (or, for viewers, an access link)");
        body.setTitle("Unauthorized");
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE,
                wrongToken ? "Bearer realm=\"doorcast\", error=\"invalid_token\"" : "Bearer realm=\"doorcast\"");
        return handleProblem(ex, body, headers, status, request);
    }

    /**
     * A multipart body the container could not parse (no boundary, truncated, garbage). Spring leaves this
     * to the default 500; it is the client's mistake. Too-large uploads are a subclass with their own 413.
     */
    @ExceptionHandler
    ResponseEntity<Object> handle(MultipartException ex, WebRequest request) {
        HttpStatus status = HttpStatus.BAD_REQUEST;
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, "The multipart body could not be parsed");
        body.setTitle(status.getReasonPhrase());
        return handleProblem(ex, body, new HttpHeaders(), status, request);
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
        HttpStatus status = HttpStatus.BAD_REQUEST;
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, "The query string could not be decoded");
        body.setTitle(status.getReasonPhrase());
        return handleProblem(ex, body, new HttpHeaders(), status, request);
    }

    /** A viewer with an access link asking for what only the viewer token may do, such as a new link. */
    @ExceptionHandler
    ResponseEntity<Object> handle(AccessDeniedException ex, WebRequest request) {
        HttpStatus status = HttpStatus.FORBIDDEN;
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, "These credentials do not allow this request");
        body.setTitle("Forbidden");
        return handleProblem(ex, body, new HttpHeaders(), status, request);
    }

    private ResponseEntity<Object> handleProblem(Exception ex, ProblemDetail body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
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
