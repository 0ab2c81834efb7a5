package dev.doorcast.push;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.KeyAgreement;

/**
 * The NIST P-256 curve with the JDK's own EC: keys as Web Push writes them (a public key as the 65-byte
 * uncompressed point, a private key as the 32-byte scalar), ECDH, and ES256 signatures.
 */
final class P256 {

    static final ECParameterSpec CURVE;
    private static final BigInteger P;
    private static final BigInteger A;
    private static final BigInteger B;

    static {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            CURVE = parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no P-256", e);
        }
        P = ((ECFieldFp) CURVE.getCurve().getField()).getP();
        A = CURVE.getCurve().getA();
        B = CURVE.getCurve().getB();
    }

    private P256() {
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(CURVE);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A public key from its uncompressed point ({@code 0x04 || x || y}).
     *
     * @throws IllegalArgumentException unless it is 65 bytes, starts with 4 and is a point on the curve (with
     *     P-256's cofactor of 1, every such point is in the group: no small-subgroup key gets through)
     */
    static ECPublicKey publicKey(byte[] uncompressed) {
        if (uncompressed.length != 65 || uncompressed[0] != 4) {
            throw new IllegalArgumentException("a P-256 public key is 65 bytes starting with 4 (uncompressed), was "
                    + uncompressed.length + " bytes");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65));
        if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0
                || !y.modPow(BigInteger.TWO, P).equals(x.pow(3).add(A.multiply(x)).add(B).mod(P))) {
            throw new IllegalArgumentException("the key is not a point on the P-256 curve");
        }
        return publicKey(new ECPoint(x, y));
    }

    private static ECPublicKey publicKey(ECPoint point) {
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, CURVE));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 public key", e);
        }
    }

    /** The 65-byte uncompressed point of {@code key}. */
    static byte[] encode(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        fixed(key.getW().getAffineX(), out, 1);
        fixed(key.getW().getAffineY(), out, 33);
        return out;
    }

    /** The 32-byte scalar of {@code key}. */
    static byte[] encode(ECPrivateKey key) {
        byte[] out = new byte[32];
        fixed(key.getS(), out, 0);
        return out;
    }

    /** A private key from its 32-byte scalar, which must lie between 1 and the group's order. */
    static ECPrivateKey privateKey(byte[] scalar) {
        BigInteger s = new BigInteger(1, scalar);
        if (scalar.length != 32 || s.signum() == 0 || s.compareTo(CURVE.getOrder()) >= 0) {
            throw new IllegalArgumentException("a P-256 private key is a 32-byte number between 1 and the order of "
                    + "the curve, was " + scalar.length + " bytes");
        }
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, CURVE));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 private key", e);
        }
    }

    /**
     * The public key of {@code key}. The JDK offers no point multiplication, but ECDH with the generator is
     * one: it gives the x of {@code s·G}; y is one of the two square roots of x³ + ax + b, and the one whose
     * key verifies a signature made with {@code key} is it.
     */
    static ECPublicKey publicKeyOf(ECPrivateKey key) {
        BigInteger x = new BigInteger(1, ecdh(key, publicKey(CURVE.getGenerator())));
        // p ≡ 3 (mod 4) for P-256, so a square root is a power.
        BigInteger y = x.pow(3).add(A.multiply(x)).add(B).mod(P).modPow(P.add(BigInteger.ONE).shiftRight(2), P);
        byte[] message = "which y".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] signature = sign(key, message);
        for (BigInteger candidate : new BigInteger[] {y, P.subtract(y)}) {
            ECPublicKey publicKey = publicKey(new ECPoint(x, candidate));
            if (verify(publicKey, message, signature)) {
                return publicKey;
            }
        }
        throw new IllegalStateException("no public key verifies the private key's signature");
    }

    /** The ECDH shared secret (the x of the shared point), 32 bytes. */
    static byte[] ecdh(PrivateKey own, PublicKey peer) {
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(own);
            agreement.doPhase(peer, true);
            return agreement.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("ECDH failed", e);
        }
    }

    /** An ES256 signature as JWS writes it: r and s, 32 bytes each (IEEE P1363), not DER. */
    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean verify(PublicKey key, byte[] message, byte[] p1363) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initVerify(key);
            signature.update(message);
            return signature.verify(p1363);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Base64url bytes, with or without padding.
     *
     * @throws IllegalArgumentException when it is not base64url
     */
    static byte[] fromBase64Url(String text) {
        return Base64.getUrlDecoder().decode(text);
    }

    private static void fixed(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, out, offset + 32 - length, length);
    }
}
