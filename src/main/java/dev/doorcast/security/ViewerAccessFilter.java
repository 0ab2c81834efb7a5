package dev.doorcast.security;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates viewers of the stream endpoints by the viewer token (bearer header) or a signed access
 * link ({@code ?access=}), when viewer access is on. A wrong token or a bad or expired link is refused
 * here; a request with neither is left to the authorization rules, which refuse it too.
 */
final class ViewerAccessFilter extends OncePerRequestFilter {

    static final String VIEWER_PATHS = "/api/v1/stream/";
    static final String DEVICE_LIST = "/api/v1/devices";
    static final String ACCESS_PARAMETER = "access";
    private static final List<GrantedAuthority> BY_TOKEN = List.of(
            new SimpleGrantedAuthority("ROLE_VIEWER"), new SimpleGrantedAuthority("ROLE_VIEWER_TOKEN"));
    private static final List<GrantedAuthority> BY_LINK = List.of(new SimpleGrantedAuthority("ROLE_VIEWER"));

    private final ViewerAccess access;
    private final AuthenticationEntryPoint entryPoint;

    ViewerAccessFilter(ViewerAccess access, AuthenticationEntryPoint entryPoint) {
        this.access = access;
        this.entryPoint = entryPoint;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !access.required() || !(uri.startsWith(VIEWER_PATHS) || uri.equals(DEVICE_LIST));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String link = accessLink(request.getQueryString());
        List<GrantedAuthority> granted = null;
        if (header != null) {
            if (!access.matchesToken(DeviceTokenFilter.bearerToken(header))) {
                entryPoint.commence(request, response, new BadCredentialsException("The bearer token is not valid for this endpoint"));
                return;
            }
            granted = BY_TOKEN;
        } else if (link != null) {
            if (!access.admits(link)) {
                entryPoint.commence(request, response, new BadCredentialsException("The access link is not valid or has expired"));
                return;
            }
            granted = BY_LINK;
        }
        if (granted != null) {
            SecurityContextHolder.getContext().setAuthentication(
                    UsernamePasswordAuthenticationToken.authenticated("viewer", null, granted));
        }
        chain.doFilter(request, response);
    }

    /**
     * The {@code access} link of a query string, URL-decoded, or null if it has none. Never
     * {@code getParameter}: for a form POST, Tomcat would first read the whole body the request declares,
     * before any credential is checked. A value that cannot be decoded is returned as it is; it admits nobody.
     */
    static @Nullable String accessLink(@Nullable String query) {
        String prefix = ACCESS_PARAMETER + "=";
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith(prefix) || pair.equals(ACCESS_PARAMETER)) {
                String value = pair.substring(Math.min(prefix.length(), pair.length()));
                try {
                    return URLDecoder.decode(value, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException undecodable) {
                    return value;
                }
            }
        }
        return null;
    }
}
