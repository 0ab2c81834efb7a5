package dev.doorcast.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Behind fly.io's proxy every connection comes from the proxy, so the client that the cap of connections
 * per address is about is the one the proxy names: {@code Fly-Client-IP}, else the last address of
 * {@code X-Forwarded-For} (the one the proxy added), else the peer. Each request counts its connection
 * against that address; one that would put an address past its cap is answered 503 and its connection
 * closed. Only with {@code doorcast.limits.client-address=fly-proxy}: a server reached directly would take
 * any address a client wrote in those headers.
 */
final class ProxiedClientFilter extends OncePerRequestFilter {

    static final String FLY_CLIENT_IP = "Fly-Client-IP";
    private static final long RETRY_AFTER_SECONDS = 5;

    private final ClientAddresses addresses;

    ProxiedClientFilter(ClientAddresses addresses) {
        this.addresses = addresses;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = clientOf(request);
        if (address != null && !addresses.admit(
                ClientAddresses.connectionKey(request.getServletConnection().getConnectionId()), address)) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
            response.setHeader("Connection", "close");
            response.setContentType("application/problem+json");
            byte[] body = ("{\"type\":\"about:blank\",\"title\":\"Too many connections\",\"status\":503,\"detail\":"
                    + "\"Your address already holds " + addresses.maxPerAddress() + " connections to this server, "
                    + "its limit; close one first\",\"success\":false}").getBytes(StandardCharsets.UTF_8);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * The client's address as the proxy gives it, as a count key; the peer's if the proxy gave none; null
     * for one not counted (the machine itself, or a header that holds no address).
     */
    static @Nullable String clientOf(HttpServletRequest request) {
        String fly = request.getHeader(FLY_CLIENT_IP);
        if (fly != null) {
            return ClientAddresses.keyOf(fly);
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null) {
            return ClientAddresses.keyOf(forwarded.substring(forwarded.lastIndexOf(',') + 1));
        }
        return ClientAddresses.keyOf(request.getRemoteAddr());
    }
}
