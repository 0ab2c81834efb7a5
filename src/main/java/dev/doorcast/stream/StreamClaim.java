package dev.doorcast.stream;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who asks for a stream, as far as the viewer limits care: the client it counts against, whether it may
 * use the slots kept for the household, and when its stream must end. Set on the request by whatever
 * authenticated it; without one (viewer access off) the client is the remote address.
 *
 * @param client the key of its per-client count: a link, or an address; empty for no count (viewer tokens)
 * @param household a viewer token: not capped per client, and may use the reserved slots
 * @param endsAt when its stream ends (a link's expiry), epoch ms; {@link Long#MAX_VALUE} for never
 */
public record StreamClaim(String client, boolean household, long endsAt) {

    /** The request attribute that holds the claim. */
    public static final String ATTRIBUTE = StreamClaim.class.getName();

    /** A household's viewer token: no per-client count, reserved slots, no end. */
    public static StreamClaim forViewerToken() {
        return new StreamClaim("", true, Long.MAX_VALUE);
    }

    static StreamClaim of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof StreamClaim claim
                ? claim : new StreamClaim("address:" + request.getRemoteAddr(), false, Long.MAX_VALUE);
    }
}
