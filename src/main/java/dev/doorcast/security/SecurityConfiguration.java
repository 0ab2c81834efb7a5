package dev.doorcast.security;

import dev.doorcast.system.DoorcastProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Devices post with their bearer token; everything else is open for now. No sessions, no cookies, no
 * CSRF tokens: nothing here is a browser form. Public so that web slice tests can import it.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    DeviceCredentials deviceCredentials(DoorcastProperties properties) {
        return DeviceCredentials.from(properties);
    }

    /** Authentication failures become the same JSON problems as every other error. */
    @Bean
    AuthenticationEntryPoint problemEntryPoint(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        return (request, response, failure) -> resolver.resolveException(request, response, null, failure);
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, DeviceCredentials credentials,
            AuthenticationEntryPoint entryPoint) {
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new DeviceTokenFilter(credentials, entryPoint), AuthorizationFilter.class)
                .exceptionHandling(errors -> errors.authenticationEntryPoint(entryPoint))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.POST, DeviceTokenFilter.DEVICE_PATHS + "**").hasRole("DEVICE")
                        .anyRequest().permitAll())
                .build();
    }
}
