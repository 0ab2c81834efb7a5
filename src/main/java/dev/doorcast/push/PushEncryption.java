package dev.doorcast.push;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Message encryption for Web Push (RFC 8291): a fresh key pair and salt per message, ECDH with the
 * subscription's key, HKDF (HMAC-SHA256) mixing in its auth secret, then one {@code aes128gcm} record
 * (RFC 8188) whose header carries the salt, the record size and the fresh public key.
 */
final class PushEncryption {

    /** The record size the header announces; the message is one record, so it bounds the plaintext. */
    static final int RECORD_SIZE = 4096;
    /** What one record holds: the record size less the tag (16) and the delimiter (1). */
    static final int MAX_PLAINTEXT = RECORD_SIZE - 17;

    private static final SecureRandom RANDOM = new SecureRandom();

    private PushEncryption() {
    }

    /** The body of a push carrying {@code plaintext} to the subscription with these keys. */
    static byte[] encrypt(byte[] plaintext, ECPublicKey uaPublic, byte[] authSecret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return encrypt(plaintext, uaPublic, authSecret, P256.generate(), salt);
    }

    /** As above with the application server's key pair and the salt given: for the RFC's test vector. */
    static byte[] encrypt(byte[] plaintext, ECPublicKey uaPublic, byte[] authSecret, KeyPair asKeys, byte[] salt) {
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("a push holds at most " + MAX_PLAINTEXT + " bytes");
        }
        byte[] uaBytes = P256.encode(uaPublic);
        byte[] asBytes = P256.encode((ECPublicKey) asKeys.getPublic());
        byte[] ecdhSecret = P256.ecdh(asKeys.getPrivate(), uaPublic);

        // RFC 8291 section 3.4: the auth secret and both public keys go into the input keying material.
        byte[] prkKey = hmac(authSecret, ecdhSecret);
        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaBytes, asBytes);
        byte[] ikm = hmac(prkKey, concat(keyInfo, new byte[] {1}));
        // RFC 8188 section 2.2 and 2.3: the content encryption key and the nonce.
        byte[] prk = hmac(salt, ikm);
        byte[] cek = Arrays.copyOf(hmac(prk, "Content-Encoding: aes128gcm\0\1".getBytes(StandardCharsets.US_ASCII)), 16);
        byte[] nonce = Arrays.copyOf(hmac(prk, "Content-Encoding: nonce\0\1".getBytes(StandardCharsets.US_ASCII)), 12);

        byte[] record;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
            // The last (and only) record ends with the delimiter 2, and no padding.
            record = cipher.doFinal(concat(plaintext, new byte[] {2}));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer header = ByteBuffer.allocate(16 + 4 + 1 + asBytes.length)
                .put(salt).putInt(RECORD_SIZE).put((byte) asBytes.length).put(asBytes);
        return concat(header.array(), record);
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
