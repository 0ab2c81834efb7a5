package dev.doorcast.system;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.WebRequest;

/**
 * The body of Spring Boot's {@code /error} page, which answers what failed outside any controller (in a
 * filter, or while the container decoded the request), in the same problem shape as the rest of the API:
 * {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance} and {@code "success": false}.
 * No exception message or stack trace goes out.
 */
@Component
class ProblemErrorAttributes extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Map<String, Object> boot = super.getErrorAttributes(request, ErrorAttributeOptions.defaults());
        int status = boot.get("status") instanceof Integer code ? code : 500;
        HttpStatus known = HttpStatus.resolve(status);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", known == null ? "Error" : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", status < 500 ? "The request could not be understood" : "The server failed to answer");
        problem.put("instance", boot.getOrDefault("path", ""));
        problem.put("success", false);
        return problem;
    }
}
