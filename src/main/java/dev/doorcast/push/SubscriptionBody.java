package dev.doorcast.push;

import java.io.IOException;
import java.io.InputStream;

import dev.doorcast.system.ApiException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A subscription as the page posts it, {@code PushSubscription.toJSON()}: {@code endpoint},
 * {@code expirationTime} (null or epoch ms, not kept) and {@code keys.p256dh} and {@code keys.auth}, each
 * checked before anything is kept.
 */
final class SubscriptionBody {

    /** What a subscription's JSON takes at most: an endpoint of {@link AllowedEndpoints#MAX_LENGTH} and two keys. */
    static final int MAX_BYTES = 4096;

    /** A subscription found good: an allowed endpoint, a key on the curve, a 16-byte secret. */
    record Parsed(String endpoint, String p256dh, String auth) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AllowedEndpoints endpoints;

    SubscriptionBody(AllowedEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    /** @throws ApiException 400 saying what is wrong, 413 past {@link #MAX_BYTES} */
    Parsed parse(InputStream in, long declaredLength) throws IOException {
        if (declaredLength > MAX_BYTES) {
            throw tooLarge();
        }
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw tooLarge();
        }
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw invalid("the body is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw invalid("the body must be a JSON object, PushSubscription.toJSON()");
        }
        String endpoint = text(json.get("endpoint"), "endpoint");
        JsonNode expiration = json.get("expirationTime");
        if (expiration != null && !expiration.isNull() && !expiration.isNumber()) {
            throw invalid("expirationTime must be null or a number");
        }
        try {
            endpoints.check(endpoint);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        JsonNode keys = json.get("keys");
        if (keys == null || !keys.isObject()) {
            throw invalid("keys must be an object with p256dh and auth");
        }
        String p256dh = text(keys.get("p256dh"), "keys.p256dh");
        String auth = text(keys.get("auth"), "keys.auth");
        byte[] point = base64Url(p256dh, "keys.p256dh");
        try {
            P256.publicKey(point);
        } catch (IllegalArgumentException e) {
            throw invalid("keys.p256dh: " + e.getMessage());
        }
        byte[] secret = base64Url(auth, "keys.auth");
        if (secret.length != 16) {
            throw invalid("keys.auth must be 16 bytes, was " + secret.length);
        }
        // Kept as the browser would write them, whatever padding came.
        return new Parsed(endpoint, P256.base64Url(point), P256.base64Url(secret));
    }

    private static String text(JsonNode node, String name) {
        if (node == null || !node.isString() || node.asString().isEmpty()) {
            throw invalid(name + " must be a string");
        }
        return node.asString();
    }

    private static byte[] base64Url(String text, String name) {
        try {
            return P256.fromBase64Url(text);
        } catch (IllegalArgumentException e) {
            throw invalid(name + " is not base64url");
        }
    }

    private static ApiException invalid(String why) {
        return ApiException.badRequest("The push subscription is not valid: " + why);
    }

    private static ApiException tooLarge() {
        return ApiException.tooLarge("A push subscription is at most " + MAX_BYTES + " bytes of JSON");
    }
}
