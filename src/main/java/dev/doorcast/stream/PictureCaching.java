package dev.doorcast.stream;

import java.security.Principal;
import java.time.Duration;

import dev.doorcast.buffer.Frame;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * What a cache between a poller and doorcast may keep of a picture, and the validators that let it ask
 * again cheaply. Dashboards, Home Assistant's camera card and status pages poll the snapshot; a reverse
 * proxy or a CDN in front can answer most of them, if the answer says it may (docs/operations.md, "A cache
 * in front").
 *
 * <p>Without viewer access a picture is public anyway, and a shared cache may keep it. With it, the
 * request carried a token or a link, and no shared cache may keep the answer: it would hand it to the next
 * request for the same address, credential or not. Spring Security puts the authenticated credential in
 * the request's principal; an anonymous request has none.
 */
final class PictureCaching {

    /**
     * The live picture: about a frame interval (5 fps) and a little more, so a cache asks once a second,
     * and, when it is asking, may go on answering with the picture it has for one more second rather than
     * holding every poller until the new one comes.
     */
    private static final CacheControl LIVE_PUBLIC = CacheControl.maxAge(Duration.ofSeconds(1)).cachePublic()
            .staleWhileRevalidate(Duration.ofSeconds(1));
    private static final CacheControl LIVE_PRIVATE = CacheControl.maxAge(Duration.ofSeconds(1)).cachePrivate();
    /**
     * A picture that cannot change: a ring's, or the frame for a time that is past. A day rather than a
     * year: a ring dropped from memory should not outlive it in caches for long.
     */
    private static final Duration SETTLED_FOR = Duration.ofDays(1);

    private PictureCaching() {
    }

    /** The newest frame: kept about a second. */
    static ResponseEntity<byte[]> live(String device, Frame frame, @Nullable Principal credential) {
        return jpeg(device, frame, credential == null ? LIVE_PUBLIC : LIVE_PRIVATE);
    }

    /** A frame that is the answer for good: kept a day, and never asked again while kept. */
    static ResponseEntity<byte[]> settled(String device, Frame frame, @Nullable Principal credential) {
        return jpeg(device, frame, settled(credential));
    }

    static CacheControl settled(@Nullable Principal credential) {
        CacheControl control = CacheControl.maxAge(SETTLED_FOR).immutable();
        return credential == null ? control.cachePublic() : control.cachePrivate();
    }

    /** The picture of who rang: it never changes, and a ring's number is never used again. */
    static ResponseEntity<byte[]> ring(String device, long ringId, Frame frame, @Nullable Principal credential) {
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_JPEG)
                .cacheControl(settled(credential))
                .eTag("\"" + device + "-ring-" + ringId + "\"")
                .lastModified(frame.receivedAt())
                .header("X-Timestamp", String.valueOf(frame.receivedAt()))
                .header("X-Ring-Id", String.valueOf(ringId))
                .body(frame.jpeg());
    }

    /** A ring's finished clip: its frames are fixed once the recording ends. */
    static String clipEtag(String device, long ringId) {
        return "\"" + device + "-ring-" + ringId + "-clip\"";
    }

    /**
     * A strong validator for one frame of one device. The buffer's sequence starts again at 1 when the
     * server does; the arrival time keeps a frame of a later run from taking an earlier one's tag.
     */
    static String etag(String device, Frame frame) {
        return "\"" + device + "-" + frame.sequence() + "-" + frame.receivedAt() + "\"";
    }

    /**
     * Spring MVC answers a matching {@code If-None-Match} (or, without one, {@code If-Modified-Since}) for
     * an entity with these validators with a 304 and no body, for GET and HEAD alike.
     */
    private static ResponseEntity<byte[]> jpeg(String device, Frame frame, CacheControl cacheControl) {
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_JPEG)
                .cacheControl(cacheControl)
                .eTag(etag(device, frame))
                .lastModified(frame.receivedAt())
                .header("X-Timestamp", String.valueOf(frame.receivedAt()))
                .header("X-Sequence", String.valueOf(frame.sequence()))
                .body(frame.jpeg());
    }
}
