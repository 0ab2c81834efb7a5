package dev.doorcast.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates the doorbell by its bearer token on the device endpoints. A request with no token goes on
 * unauthenticated (and is refused by the authorization rules); one with a wrong token is refused here.
 */
final class DeviceTokenFilter extends OncePerRequestFilter {

    static final String DEVICE_PATHS = "/api/v1/devices/";
    private static final String BEARER = "Bearer ";

    private final DeviceCredentials credentials;
    private final AuthenticationEntryPoint entryPoint;

    DeviceTokenFilter(DeviceCredentials credentials, AuthenticationEntryPoint entryPoint) {
        this.credentials = credentials;
        this.entryPoint = entryPoint;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(DEVICE_PATHS);
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null for any other scheme. */
    static @Nullable String bearerToken(String header) {
        return header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip() : null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!credentials.matches(bearerToken(header))) {
            entryPoint.commence(request, response, new BadCredentialsException("The bearer token is not valid for this endpoint"));
            return;
        }
        var device = UsernamePasswordAuthenticationToken.authenticated(
                "doorbell", null, List.of(new SimpleGrantedAuthority("ROLE_DEVICE")));
        SecurityContextHolder.getContext().setAuthentication(device);
        chain.doFilter(request, response);
    }
}
