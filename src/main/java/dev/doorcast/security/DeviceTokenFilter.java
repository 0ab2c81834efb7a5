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
public final class DeviceTokenFilter extends OncePerRequestFilter {

    /** The request attribute that names the authenticated device, for those outside Spring Security's scope. */
    public static final String DEVICE_ATTRIBUTE = DeviceTokenFilter.class.getName() + ".device";

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
        String device = credentials.deviceFor(bearerToken(header));
        if (device == null) {
            entryPoint.commence(request, response, new BadCredentialsException("The bearer token is not valid for this endpoint"));
            return;
        }
        // The device's id is the principal: the ingest endpoints store into that device's channel.
        request.setAttribute(DEVICE_ATTRIBUTE, device);
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                device, null, List.of(new SimpleGrantedAuthority("ROLE_DEVICE"))));
        chain.doFilter(request, response);
    }
}
