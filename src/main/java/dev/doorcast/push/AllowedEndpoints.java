package dev.doorcast.push;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

import dev.doorcast.system.InvalidSettingException;

/**
 * The push services the server will POST to ({@code doorcast.push.allowed-endpoints}). An endpoint is
 * compared with each prefix part by part, never as text, so that neither
 * {@code https://fcm.googleapis.com.evil.example/} nor {@code https://fcm.googleapis.com@evil.example/}
 * passes for FCM: the same scheme, the same host (or, for {@code *.example.com}, a host ending in
 * {@code .example.com} below it), the same port, and a path that begins with the prefix's path.
 */
final class AllowedEndpoints {

    static final String SETTING = "doorcast.push.allowed-endpoints";
    /** Longer endpoints are refused: the major services' are a few hundred characters. */
    static final int MAX_LENGTH = 1024;

    private record Prefix(String scheme, String host, boolean subdomains, int port, String path) {

        boolean admits(URI endpoint) {
            String host = endpoint.getHost().toLowerCase(Locale.ROOT);
            boolean hostMatches = subdomains ? host.endsWith("." + this.host) : host.equals(this.host);
            return endpoint.getScheme().toLowerCase(Locale.ROOT).equals(scheme) && hostMatches
                    && AllowedEndpoints.port(endpoint) == port && endpoint.getRawPath().startsWith(path);
        }
    }

    private final List<Prefix> prefixes;

    AllowedEndpoints(List<String> prefixes) {
        this.prefixes = prefixes.stream().map(AllowedEndpoints::prefix).toList();
    }

    private static Prefix prefix(String text) {
        URI uri;
        try {
            uri = new URI(text.replaceFirst("^([a-zA-Z]+://)\\*\\.", "$1wildcard."));
        } catch (URISyntaxException e) {
            throw invalid(text, "is not a URL");
        }
        boolean subdomains = !uri.toString().equals(text);
        if (uri.getScheme() == null || !List.of("https", "http").contains(uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw invalid(text, "is not an http(s) URL with a host and no user, query or fragment");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (subdomains) {
            host = host.substring("wildcard.".length());
            if (!host.contains(".")) {
                throw invalid(text, "opens every subdomain of a top-level domain");
            }
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new Prefix(uri.getScheme().toLowerCase(Locale.ROOT), host, subdomains, port(uri), path);
    }

    private static InvalidSettingException invalid(String prefix, String problem) {
        return new InvalidSettingException(SETTING, "The allowed push endpoint " + prefix + " " + problem + ".",
                "List URL prefixes of push services, e.g. https://fcm.googleapis.com/ or https://*.notify.windows.com/.");
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /**
     * The endpoint as a URI, if it is one this server may POST to.
     *
     * @throws IllegalArgumentException saying why not
     */
    URI check(String endpoint) {
        if (endpoint.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the endpoint is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the endpoint is not a URL");
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null || !uri.isAbsolute() || uri.isOpaque()) {
            throw new IllegalArgumentException("the endpoint is not an absolute http(s) URL with a host");
        }
        if (!uri.normalize().getRawPath().equals(uri.getRawPath())) {
            // A path that climbs out of the allowed prefix with /../ would still start with it as text.
            throw new IllegalArgumentException("the endpoint's path has . or .. segments");
        }
        for (Prefix prefix : prefixes) {
            if (prefix.admits(uri)) {
                return uri;
            }
        }
        throw new IllegalArgumentException("the endpoint is not at a push service this server sends to ("
                + SETTING + ")");
    }
}
