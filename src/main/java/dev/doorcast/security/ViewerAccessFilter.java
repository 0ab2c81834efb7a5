package dev.doorcast.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.doorcast.system.QueryString;
import dev.doorcast.system.StreamClaim;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates viewers and Prometheus everywhere but the device endpoints: a bearer viewer token, the
 * metrics token, or a signed access link ({@code ?access=}, read from the query string only). A wrong
 * token or a bad or expired link is refused here; a request with neither goes on anonymous, and the
 * authorization rules decide. What a credential opens is its {@link ViewerGrant}; the rules check it
 * against the path and the {@code device} asked for.
 */
final class ViewerAccessFilter extends OncePerRequestFilter {

    static final String ACCESS_PARAMETER = "access";

    /**
     * Open to all, whatever credential comes along: a page opened with a stale link must still load, and a
     * browser fetches the app's manifest, icons and service worker with no header or link of the page's.
     */
    static final String[] PUBLIC = {"/", "/index.html", "/*.js", "/*.css", "/favicon.ico", "/manifest.webmanifest",
            "/icons/*.png", "/actuator/health/liveness", "/actuator/health/readiness"};
    private static final RequestMatcher PUBLIC_PATHS = new OrRequestMatcher(Arrays.stream(PUBLIC)
            .map(pattern -> (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(pattern)).toList());

    private final ViewerAccess access;
    private final AuthenticationEntryPoint entryPoint;

    ViewerAccessFilter(ViewerAccess access, AuthenticationEntryPoint entryPoint) {
        this.access = access;
        this.entryPoint = entryPoint;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !access.guardsMetrics() || request.getRequestURI().startsWith(DeviceTokenFilter.DEVICE_PATHS)
                || PUBLIC_PATHS.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String link;
        try {
            link = access.required() ? QueryString.single(request, ACCESS_PARAMETER) : null;
        } catch (IllegalArgumentException e) {
            refuse(request, response, "The access link is not valid: " + e.getMessage());
            return;
        }
        if (header != null) {
            String token = DeviceTokenFilter.bearerToken(header);
            ViewerGrant grant = access.byToken(token);
            if (grant != null) {
                authenticate(request, grant, grant.device() == null
                        ? authorities("ROLE_VIEWER", "ROLE_VIEWER_TOKEN", "ROLE_OWNER", "ROLE_METRICS")
                        : authorities("ROLE_VIEWER", "ROLE_VIEWER_TOKEN"));
            } else if (access.isMetricsToken(token)) {
                SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken
                        .authenticated("metrics", null, authorities("ROLE_METRICS")));
            } else {
                refuse(request, response, "The bearer token is not valid for this endpoint");
                return;
            }
        } else if (link != null) {
            AccessLinks.Verdict verdict = access.check(link);
            if (verdict instanceof AccessLinks.Verdict.Refused refused) {
                refuse(request, response, refused.reason());
                return;
            }
            authenticate(request, ViewerAccess.grantOf(link, (AccessLinks.Verdict.Valid) verdict),
                    authorities("ROLE_VIEWER"));
        }
        chain.doFilter(request, response);
    }

    private void authenticate(HttpServletRequest request, ViewerGrant grant, List<GrantedAuthority> authorities) {
        SecurityContextHolder.getContext().setAuthentication(
                UsernamePasswordAuthenticationToken.authenticated(grant, null, authorities));
        // Streams count against the viewer limits by what opened them: a link against its own small cap,
        // a token against none, with slots kept for it; both against the share of the household whose
        // doorbell they open (the owner's token against none); a link's stream ends when the link expires.
        request.setAttribute(StreamClaim.ATTRIBUTE, grant.household() ? StreamClaim.forViewerToken(grant.device())
                : new StreamClaim(grant.holder(), false, grant.device(), grant.expiresAt()));
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String reason)
            throws IOException, ServletException {
        entryPoint.commence(request, response, new BadCredentialsException(reason));
    }

    private static List<GrantedAuthority> authorities(String... roles) {
        List<GrantedAuthority> granted = new ArrayList<>();
        for (String role : roles) {
            granted.add(new SimpleGrantedAuthority(role));
        }
        return List.copyOf(granted);
    }
}
