package dev.doorcast.push;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 8291's Appendix A, byte for byte, and the P-256 checks a subscription's key goes through. */
class PushEncryptionTest {

    // RFC 8291, Appendix A (its line breaks removed).
    private static final String PLAINTEXT = "When I grow up, I want to be a watermelon";
    private static final String AS_PUBLIC =
            "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    private static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    private static final String UA_PUBLIC =
            "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    private static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    private static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
    private static final String AUTH_SECRET = "BTBZMqHH6r4Tts7J_aSIgg";
    /** Section 5's message: the header (salt, record size 4096, the key) and the one record. */
    private static final String MESSAGE = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3"
            + "vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    @Test
    void encryptsTheRfcExampleToTheRfcMessage() {
        ECPrivateKey asPrivate = P256.privateKey(P256.fromBase64Url(AS_PRIVATE));
        KeyPair asKeys = new KeyPair(P256.publicKey(P256.fromBase64Url(AS_PUBLIC)), asPrivate);

        byte[] message = PushEncryption.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8),
                P256.publicKey(P256.fromBase64Url(UA_PUBLIC)), P256.fromBase64Url(AUTH_SECRET), asKeys,
                P256.fromBase64Url(SALT));

        assertThat(P256.base64Url(message)).isEqualTo(MESSAGE);
    }

    @Test
    void theRfcMessageDecryptsWithTheUserAgentsKey() {
        byte[] plaintext = WebPushDecryption.decrypt(P256.fromBase64Url(MESSAGE),
                P256.privateKey(P256.fromBase64Url(UA_PRIVATE)), P256.publicKey(P256.fromBase64Url(UA_PUBLIC)),
                P256.fromBase64Url(AUTH_SECRET));

        assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
    }

    @Test
    void aPublicKeyIsDerivedFromItsPrivateKey() {
        ECPublicKey derived = P256.publicKeyOf(P256.privateKey(P256.fromBase64Url(AS_PRIVATE)));
        assertThat(P256.base64Url(P256.encode(derived))).isEqualTo(AS_PUBLIC);
        ECPublicKey ua = P256.publicKeyOf(P256.privateKey(P256.fromBase64Url(UA_PRIVATE)));
        assertThat(P256.base64Url(P256.encode(ua))).isEqualTo(UA_PUBLIC);
    }

    @Test
    void aKeyOffTheCurveIsRefused() {
        byte[] point = P256.fromBase64Url(UA_PUBLIC);
        point[64] ^= 1;
        assertThatThrownBy(() -> P256.publicKey(point)).hasMessageContaining("not a point on the P-256 curve");
        byte[] compressed = new byte[33];
        compressed[0] = 2;
        assertThatThrownBy(() -> P256.publicKey(compressed)).hasMessageContaining("65 bytes");
    }
}
