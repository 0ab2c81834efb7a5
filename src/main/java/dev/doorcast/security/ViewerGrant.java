package dev.doorcast.security;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;

/**
 * What one viewer credential opens: every device or one, everything or the picture only, until when.
 * The principal of an authenticated viewer.
 *
 * @param holder who holds it, for logs and per-credential counts: {@code owner}, {@code device:<id>} for a
 *     device's viewer token, or {@code link:<signature>}
 * @param device the one device it opens, or null for every device (the instance-wide viewer token)
 * @param scope what of that device it opens
 * @param household a viewer token (the household's own key) rather than a link handed out: only tokens
 *     make links, and they stream from the slots kept free for them
 * @param expiresAt when it stops opening anything, epoch ms; {@link Long#MAX_VALUE} for tokens
 */
public record ViewerGrant(String holder, @Nullable String device, Scope scope, boolean household, long expiresAt) {

    /** What of a device a credential opens. */
    public enum Scope {
        /** The picture only: the camera stream, the snapshot, the synced frame. */
        CAMERA,
        /** Everything a viewer can see of the device: camera, audio, stats. */
        ALL;

        /** Whether a credential of this scope covers what {@code needed} asks for. */
        boolean covers(Scope needed) {
            return this == ALL || this == needed;
        }

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static @Nullable Scope fromWire(String name) {
            return switch (name) {
                case "all" -> ALL;
                case "camera" -> CAMERA;
                default -> null;
            };
        }
    }

    /** Whether this credential opens {@code device} for what {@code needed} asks. */
    public boolean opens(String device, Scope needed) {
        return (this.device == null || this.device.equals(device)) && scope.covers(needed);
    }

    /** The grant of an authenticated viewer, or null for anyone else (anonymous, a device, Prometheus). */
    public static @Nullable ViewerGrant of(@Nullable Authentication authentication) {
        return authentication != null && authentication.getPrincipal() instanceof ViewerGrant grant ? grant : null;
    }

    public ViewerGrant {
        Objects.requireNonNull(holder);
        Objects.requireNonNull(scope);
    }
}
