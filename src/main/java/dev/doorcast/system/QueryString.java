package dev.doorcast.system;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Reads a parameter from the query string alone. {@code getParameter} would make the container read and
 * keep a form body first, before any credential is checked: an unauthenticated client declaring a large
 * form could make the server hold it. And a parameter read from one place only means the same to every
 * reader: the authorization and the endpoint cannot disagree on it.
 */
public final class QueryString {

    private QueryString() {
    }

    /**
     * The decoded value of {@code name}, or null when absent.
     *
     * @throws IllegalArgumentException when it is there twice or cannot be decoded: a request whose meaning
     *     depends on which copy a reader takes is refused rather than guessed at
     */
    public static @Nullable String single(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        String found = null;
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                if (found != null) {
                    throw new IllegalArgumentException(name + " is given twice");
                }
                try {
                    found = URLDecoder.decode(equals < 0 ? "" : pair.substring(equals + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException undecodable) {
                    throw new IllegalArgumentException(name + " cannot be decoded", undecodable);
                }
            }
        }
        return found;
    }
}
