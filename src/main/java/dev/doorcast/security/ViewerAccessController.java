package dev.doorcast.security;

import dev.doorcast.system.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Trades the viewer token for a signed access link that an {@code <img>} tag or ESP32 display can use. */
@RestController
class ViewerAccessController {

    /** A link's value for {@code ?access=}, and when it stops admitting new streams (epoch ms). */
    record AccessGranted(boolean success, String access, long expiresAt) {
    }

    private final ViewerAccess access;

    ViewerAccessController(ViewerAccess access) {
        this.access = access;
    }

    @Operation(summary = "Make a signed access link from the viewer token",
            security = @SecurityRequirement(name = "viewerToken"))
    @PostMapping("/api/v1/stream/access")
    AccessGranted newLink() {
        if (!access.required()) {
            throw ApiException.notFound("Viewer access is open",
                    "No viewer token is configured, so the streams need no access link");
        }
        ViewerAccess.Link link = access.newLink();
        return new AccessGranted(true, link.access(), link.expiresAt());
    }
}
