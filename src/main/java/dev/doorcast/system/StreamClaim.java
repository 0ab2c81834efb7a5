package dev.doorcast.system;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Who asks for a stream, as far as the viewer limits care: the client it counts against, whether it may
 * use the slots kept for viewer tokens, the household whose share it takes, and when its stream must end.
 * Set on the request by whatever authenticated it; without one (viewer access off) the client is the
 * remote address.
 *
 * @param client the key of its per-client count: a link, or an address; empty for no count (viewer tokens)
 * @param household a viewer token: not capped per client, and may use the reserved slots
 * @param device the doorbell whose household's share it counts against: a household's token's device, or
 *     the one a link opens (whoever made the link); null for none (the owner's token, anonymous viewers)
 * @param endsAt when its stream ends (a link's expiry), epoch ms; {@link Long#MAX_VALUE} for never
 */
public record StreamClaim(String client, boolean household, @Nullable String device, long endsAt) {

    /** The request attribute that holds the claim. */
    public static final String ATTRIBUTE = StreamClaim.class.getName();

    /**
     * A viewer token: no per-client count, reserved slots, no end; a household's token ({@code device} its
     * doorbell) counts against its household's share, the owner's ({@code device} null) against none.
     */
    public static StreamClaim forViewerToken(@Nullable String device) {
        return new StreamClaim("", true, device, Long.MAX_VALUE);
    }

    /** The claim the request carries, or, without one, the remote address's. */
    public static StreamClaim of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof StreamClaim claim
                ? claim : new StreamClaim("address:" + request.getRemoteAddr(), false, null, Long.MAX_VALUE);
    }
}
