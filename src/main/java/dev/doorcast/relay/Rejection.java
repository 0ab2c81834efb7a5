package dev.doorcast.relay;

/**
 * Why a message from Redis was dropped before it reached a buffer; the {@code reason} tag of
 * {@code doorcast_relay_rejected_total}.
 */
enum Rejection {

    /** Longer than the largest frame or chunk allowed plus the message's head; not copied. */
    TOO_LARGE("too_large"),
    /** Too short to be a message, or a signed message whose head disagrees with itself or its channel. */
    MALFORMED("malformed"),
    /** Another wire version: an instance of an older doorcast (unsigned messages), or noise. */
    VERSION("version"),
    /** The MAC does not match: another secret, a changed byte, or a message moved to another channel. */
    SIGNATURE("signature"),
    /** Received by its instance too long ago, or in the future, beyond the clock tolerance. */
    STALE("stale"),
    /** A message this instance already took: the same sender and serial again. */
    REPLAYED("replayed"),
    /** Signed, but its payload is no JPEG, or no whole 16-bit PCM. */
    NOT_MEDIA("not_media");

    private final String tag;

    Rejection(String tag) {
        this.tag = tag;
    }

    String tag() {
        return tag;
    }
}
