package dev.doorcast.security;

import java.time.InstantSource;
import java.util.List;

import dev.doorcast.security.ViewerGrant.Scope;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.RequestedDevice;
import jakarta.servlet.DispatcherType;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Devices post with their bearer token; viewers need a viewer token or a signed link when one is
 * configured, and see only the devices it opens; Prometheus needs the metrics token; the page and the
 * health probes are open, and everything else is the owner's. No sessions, no cookies, no CSRF tokens: nothing here is
 * a browser form, and every credential travels in a header or a signed query parameter. Public so that web slice tests can import it.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /**
     * What the viewer page may load: its own scripts, styles, pictures (the camera, a ring's clip), the audio
     * worklets and fetches, its app manifest and service worker, from this server only; no inline script or
     * style, no {@code eval}, no plugin, no other site; and no site may frame it (a page that shows a live
     * camera must not be overlaid). Injected markup could then run nothing and send nothing anywhere. Sent
     * with the page only: the API's answers are no documents a browser runs, and devices read their heads
     * with small buffers.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; media-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** The viewer page's addresses. */
    private static final RequestMatcher PAGE = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher("/"),
            PathPatternRequestMatcher.withDefaults().matcher("/index.html"));

    @Bean
    DeviceCredentials deviceCredentials(DoorcastProperties properties) {
        return DeviceCredentials.from(properties);
    }

    @Bean
    ViewerAccess viewerAccess(DoorcastProperties properties, DeviceCredentials device, InstantSource clock) {
        return ViewerAccess.from(properties, device, clock);
    }

    /** Authentication failures become the same JSON problems as every other error. */
    @Bean
    AuthenticationEntryPoint problemEntryPoint(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        return (request, response, failure) -> resolver.resolveException(request, response, null, failure);
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, DeviceCredentials credentials, ViewerAccess viewers,
            AuthenticationEntryPoint entryPoint, DoorcastProperties properties,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        boolean open = !viewers.required();
        return http
                .cors(cors -> cors.configurationSource(corsSource(properties.cors().allowedOrigins())))
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(headers -> headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                        PAGE, new ContentSecurityPolicyHeaderWriter(CONTENT_SECURITY_POLICY))))
                .addFilterBefore(new DeviceTokenFilter(credentials, entryPoint), AuthorizationFilter.class)
                .addFilterBefore(new ViewerAccessFilter(viewers, entryPoint), AuthorizationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler((request, response, denied) ->
                                resolver.resolveException(request, response, null, denied)))
                // Deny by default: what is public is listed, and every rule but the devices' covers all
                // methods, so HEAD and OPTIONS are judged as GET is.
                .authorizeHttpRequests(requests -> requests
                        // A stream's end and an error page are dispatches of a request already authorized;
                        // they carry no credentials of their own and must not be refused (with an ERROR log).
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers(HttpMethod.POST, DeviceTokenFilter.DEVICE_PATHS + "**").hasRole("DEVICE")
                        // What a device reads: what viewers say to its speaker, and its link, which carries both ways.
                        .requestMatchers(HttpMethod.GET, DeviceTokenFilter.DEVICE_PATHS + "doorbell/speaker-stream",
                                DeviceTokenFilter.DEVICE_PATHS + "doorbell/link")
                        .hasRole("DEVICE")
                        // The page and its assets, and the probes: they hold nothing of any device.
                        .requestMatchers(ViewerAccessFilter.PUBLIC).permitAll()
                        // The overall status, which says nothing of the doorbells (see application.yaml).
                        .requestMatchers("/actuator/health").permitAll()
                        .requestMatchers("/actuator/prometheus")
                        .access(viewers.guardsMetrics() ? hasRole("METRICS") : permitAll())
                        .requestMatchers("/api/v1/stream/access")
                        .access(open ? permitAll() : tokenOpens(Scope.ALL))
                        // Deleting a ring is the household's: the owner's or the device's viewer token, never a link.
                        .requestMatchers(HttpMethod.DELETE, "/api/v1/stream/rings/*")
                        .access(open ? permitAll() : tokenOpens(Scope.ALL))
                        .requestMatchers("/api/v1/stream/camera", "/api/v1/stream/camera/**")
                        .access(open ? permitAll() : opens(Scope.CAMERA))
                        .requestMatchers("/api/v1/stream/**")
                        .access(open ? permitAll() : opens(Scope.ALL))
                        .requestMatchers("/api/v1/devices")
                        .access(open ? permitAll() : hasRole("VIEWER"))
                        // Web Push: the key is public (every subscriber's browser holds it); a subscription is
                        // made and deleted with a viewer token, never a link, which would outlive its expiry.
                        .requestMatchers("/api/v1/push/key").permitAll()
                        .requestMatchers("/api/v1/push/subscriptions", "/api/v1/push/subscriptions/*")
                        .access(open ? permitAll() : hasRole("VIEWER_TOKEN"))
                        // API docs (off in prod), unknown paths and whatever is added later: the owner's.
                        .anyRequest().access(open ? permitAll() : hasRole("OWNER")))
                .build();
    }

    /**
     * A viewer whose credential opens the requested device for what {@code scope} asks. The device is the
     * {@link RequestedDevice} the endpoint will serve, decided once from the query string.
     */
    private static AuthorizationManager<RequestAuthorizationContext> opens(Scope scope) {
        return (authentication, context) -> new AuthorizationDecision(opens(authentication.get(), context, scope));
    }

    /** As {@link #opens}, and by a viewer token: links do not make links. */
    private static AuthorizationManager<RequestAuthorizationContext> tokenOpens(Scope scope) {
        return (authentication, context) -> {
            ViewerGrant grant = ViewerGrant.of(authentication.get());
            return new AuthorizationDecision(grant != null && grant.household()
                    && opens(authentication.get(), context, scope));
        };
    }

    private static boolean opens(@Nullable Authentication authentication, RequestAuthorizationContext context,
            Scope scope) {
        ViewerGrant grant = ViewerGrant.of(authentication);
        if (grant == null) {
            return false;
        }
        try {
            return grant.opens(RequestedDevice.of(context.getRequest()).id(), scope);
        } catch (ApiException undecided) {
            // Named twice or undecodable: refused, unless the credential opens every device anyway, and then
            // the endpoint says why (400).
            return grant.device() == null && grant.scope().covers(scope);
        }
    }

    private static AuthorizationManager<RequestAuthorizationContext> hasRole(String role) {
        return AuthorityAuthorizationManager.hasRole(role);
    }

    private static AuthorizationManager<RequestAuthorizationContext> permitAll() {
        return (authentication, context) -> new AuthorizationDecision(true);
    }

    /** Other sites' pages may read the viewer endpoints with fetch(), when their origin is listed. */
    private static CorsConfigurationSource corsSource(List<String> allowedOrigins) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!allowedOrigins.isEmpty()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(allowedOrigins);
            cors.setAllowedMethods(List.of("GET", "POST"));
            cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "X-Sequence",
                    "X-Talk-Id"));
            cors.setExposedHeaders(List.of("X-Timestamp", "X-Sequence", "X-Sample-Rate", "X-Channels", "X-Bit-Depth",
                    "ETag", "Last-Modified"));
            cors.setMaxAge(3600L);
            source.registerCorsConfiguration("/api/v1/stream/**", cors);
        }
        return source;
    }
}
