package dev.doorcast.push;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import dev.doorcast.security.ViewerGrant;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.ClientAddresses;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.QueryString;
import dev.doorcast.system.RequestedDevice;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The page's side of Web Push: the key to subscribe with, and keeping and forgetting its subscription. The
 * authorization rules let only viewer tokens (not links) reach the subscriptions while viewer access is on.
 */
@RestController
class PushController {

    record PublicKey(String publicKey) {
    }

    record Subscribed(String id) {
    }

    private final VapidKeys keys;
    private final PushStore store;
    private final PushCredentials credentials;
    private final SubscriptionBody bodies;
    private final List<String> devices;

    PushController(VapidKeys keys, PushStore store, PushCredentials credentials, SubscriptionBody bodies,
            DoorcastProperties properties) {
        this.keys = keys;
        this.store = store;
        this.credentials = credentials;
        this.bodies = bodies;
        this.devices = properties.deviceIds();
    }

    @Operation(summary = "The VAPID public key, the applicationServerKey of PushManager.subscribe()")
    @GetMapping("/api/v1/push/key")
    PublicKey key() {
        return new PublicKey(keys.publicKey());
    }

    @Operation(summary = "Keep a browser's push subscription: each ring of a device it may see is pushed to it",
            description = "The body is PushSubscription.toJSON(). Needs a viewer token (not a link) while viewer "
                    + "access is on.", security = @SecurityRequirement(name = "viewerToken"),
            parameters = @Parameter(name = RequestedDevice.PARAMETER, in = ParameterIn.QUERY,
                    schema = @Schema(type = "string"),
                    description = "the one device to be told of; every device the credential opens when absent"),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "PushSubscription.toJSON(): endpoint, expirationTime, keys.p256dh, keys.auth",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE)))
    @PostMapping(path = "/api/v1/push/subscriptions", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Subscribed> subscribe(@Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) @Nullable Authentication authentication) throws IOException {
        String device = device(request);
        String holder;
        if (credentials.required()) {
            ViewerGrant grant = ViewerGrant.of(authentication);
            if (grant == null || !grant.household()) {
                throw forbidden("Push subscriptions are made with a viewer token, not an access link");
            }
            if (device != null && !grant.opens(device, ViewerGrant.Scope.ALL)) {
                throw forbidden("These credentials do not open device '" + device + "'");
            }
            holder = grant.holder();
        } else {
            // The machine itself (a proxy on it) has no key of its own: its clients count as one.
            String address = ClientAddresses.keyOf(request.getRemoteAddr());
            holder = "address:" + (address != null ? address : "this-machine");
        }
        String credential = credentials.of(holder);
        if (credential == null) {
            throw forbidden("These credentials cannot subscribe");
        }
        SubscriptionBody.Parsed body = bodies.parse(request.getInputStream(), request.getContentLengthLong());
        String id = store.add(body.endpoint(), body.p256dh(), body.auth(), device, holder, credential);
        return ResponseEntity.created(URI.create("/api/v1/push/subscriptions/" + id)).body(new Subscribed(id));
    }

    @Operation(summary = "Forget a push subscription, by the credential that made it",
            security = @SecurityRequirement(name = "viewerToken"))
    @DeleteMapping("/api/v1/push/subscriptions/{id}")
    ResponseEntity<Void> unsubscribe(@PathVariable String id,
            @Parameter(hidden = true) @Nullable Authentication authentication) {
        ViewerGrant grant = ViewerGrant.of(authentication);
        boolean mine = store.find(id).filter(subscription -> credentials.required()
                ? grant != null && grant.household() && grant.holder().equals(subscription.holder())
                : subscription.credential().equals(PushCredentials.OPEN)).isPresent();
        // Another's subscription is answered as one that does not exist: the answer tells nothing of it.
        if (!mine || !store.remove(id)) {
            throw ApiException.notFound("No such subscription", "No push subscription " + id
                    + " was made with these credentials");
        }
        return ResponseEntity.noContent().build();
    }

    private @Nullable String device(HttpServletRequest request) {
        String device;
        try {
            device = QueryString.single(request, RequestedDevice.PARAMETER);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("The device must be named at most once (?device=<id>): " + e.getMessage());
        }
        if (device != null && !devices.contains(device)) {
            throw ApiException.notFound("Unknown device", "No device '" + device + "' is configured here");
        }
        return device;
    }

    private static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, HttpStatus.FORBIDDEN.getReasonPhrase(), detail);
    }
}
