package dev.doorcast.security;

import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.security.ViewerGrant.Scope;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.RequestedDevice;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Trades a viewer token for a signed access link to one device that an {@code <img>} tag or ESP32 display
 * can use. The authorization rules have already checked that the token opens that device.
 */
@RestController
class ViewerAccessController {

    /** A link's value for {@code ?access=}, and when it expires (epoch ms); its streams end then too. */
    record AccessGranted(boolean success, String access, long expiresAt) {
    }

    private final ViewerAccess access;
    private final DeviceStreams devices;

    ViewerAccessController(ViewerAccess access, DeviceStreams devices) {
        this.access = access;
        this.devices = devices;
    }

    @Operation(summary = "Make a signed access link to one device from a viewer token",
            security = @SecurityRequirement(name = "viewerToken"))
    @PostMapping("/api/v1/stream/access")
    AccessGranted newLink(
            @Parameter(name = RequestedDevice.PARAMETER, in = ParameterIn.QUERY, schema = @Schema(type = "string"),
                    description = "the device the link opens; the default doorbell when absent") RequestedDevice device,
            @Parameter(description = "all (the default): camera, audio and stats; camera: the picture only",
                    schema = @Schema(allowableValues = {"all", "camera"}))
            @RequestParam(required = false) @Nullable String scope,
            @Parameter(hidden = true) @Nullable Authentication maker) {
        if (!access.required()) {
            throw ApiException.notFound("Viewer access is open",
                    "No viewer token is configured, so the streams need no access link");
        }
        String id = device.id();
        if (!devices.devices().contains(id)) {
            throw ApiException.notFound("Unknown device", "No device '" + id + "' is configured here");
        }
        Scope granted = scope == null ? Scope.ALL : Scope.fromWire(scope);
        if (granted == null) {
            throw ApiException.badRequest("scope must be all or camera, was " + scope);
        }
        ViewerGrant grant = ViewerGrant.of(maker);
        if (grant == null) {
            throw new IllegalStateException("the authorization rules let only viewer tokens make links");
        }
        ViewerAccess.Link link = access.newLink(grant, id, granted);
        return new AccessGranted(true, link.access(), link.expiresAt());
    }
}
