package dev.doorcast.events;

/**
 * Where a ring's picture and clip are fetched, as the ring event and the list of rings give them: with
 * {@code ?device=} always, so that the path works as it is whichever device a page watches.
 */
public final class RingLinks {

    private RingLinks() {
    }

    public static String snapshot(String device, long ringId) {
        return "/api/v1/stream/rings/" + ringId + "/snapshot?device=" + device;
    }

    public static String clip(String device, long ringId) {
        return "/api/v1/stream/rings/" + ringId + "/clip?device=" + device;
    }
}
