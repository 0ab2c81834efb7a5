package dev.doorcast.push;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A browser's side of a subscription, made by the test: its own key pair and auth secret, and its endpoint. */
record Subscriber(String endpoint, KeyPair keys, byte[] auth) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Subscriber at(String endpoint) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            byte[] auth = new byte[16];
            new SecureRandom().nextBytes(auth);
            return new Subscriber(endpoint, generator.generateKeyPair(), auth);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@code PushSubscription.toJSON()} gives in a browser. */
    String json() {
        return JSON.writeValueAsString(JSON.createObjectNode()
                .put("endpoint", endpoint)
                .putNull("expirationTime")
                .set("keys", JSON.createObjectNode()
                        .put("p256dh", base64Url(WebPushDecryption.uncompressed((ECPublicKey) keys.getPublic())))
                        .put("auth", base64Url(auth))));
    }

    /** A push's body, decrypted with this subscriber's private key and auth secret, as JSON. */
    JsonNode open(byte[] message) {
        byte[] plaintext = WebPushDecryption.decrypt(message, keys.getPrivate(), (ECPublicKey) keys.getPublic(), auth);
        return JSON.readTree(new String(plaintext, StandardCharsets.UTF_8));
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
