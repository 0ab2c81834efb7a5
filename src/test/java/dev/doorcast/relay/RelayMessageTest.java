package dev.doorcast.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayMessageTest {

    static final RelayKey KEY = RelayKey.from("relay-message-test-secret");
    static final byte[] FRAMES = "doorcast:doorbell:frames".getBytes(StandardCharsets.UTF_8);
    static final byte[] AUDIO = "doorcast:doorbell:audio".getBytes(StandardCharsets.UTF_8);
    static final long LIMIT = 256 * 1024;

    private static RelayMessage open(byte[] wire, byte[] channel, byte kind) {
        Verdict verdict = RelayMessage.open(wire, channel, kind, LIMIT, KEY);
        assertThat(verdict).isInstanceOf(Verdict.Take.class);
        return ((Verdict.Take) verdict).message();
    }

    private static Verdict openAudio(byte[] wire) {
        return RelayMessage.open(wire, AUDIO, RelayMessage.AUDIO, LIMIT, KEY);
    }

    private static byte[] audioMessage() {
        return new RelayMessage(RelayMessage.AUDIO, UUID.randomUUID(), 3L, 1234L, 5L, TestMedia.pcm(0, 64))
                .seal(KEY, AUDIO);
    }

    @Test
    void roundTripsAFrameWithItsBytesUntouched() {
        byte[] jpeg = TestMedia.jpeg(1);
        UUID instance = UUID.randomUUID();
        byte[] wire = new RelayMessage(RelayMessage.FRAME, instance, 42L, 1234L, 77L, jpeg).seal(KEY, FRAMES);

        RelayMessage back = open(wire, FRAMES, RelayMessage.FRAME);

        assertThat(wire).hasSize(jpeg.length + 78);
        assertThat(back.kind()).isEqualTo(RelayMessage.FRAME);
        assertThat(back.instance()).isEqualTo(instance);
        assertThat(back.serial()).isEqualTo(42L);
        assertThat(back.receivedAt()).isEqualTo(1234L);
        assertThat(back.deviceNumber()).isEqualTo(77L);
        assertThat(back.payload()).isEqualTo(jpeg);
    }

    @Test
    void keepsAMissingDeviceNumberMissing() {
        byte[] wire = new RelayMessage(RelayMessage.AUDIO, UUID.randomUUID(), 1L, 1L, null, new byte[] {1, 2})
                .seal(KEY, AUDIO);

        assertThat(open(wire, AUDIO, RelayMessage.AUDIO).deviceNumber()).isNull();
    }

    @Test
    void changingAnyByteFailsVerification() {
        byte[] wire = audioMessage();

        for (int i = 0; i < wire.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = wire.clone();
                tampered[i] ^= (byte) (1 << bit);
                assertThat(openAudio(tampered)).as("byte %d bit %d changed", i, bit)
                        .isEqualTo(new Verdict.Drop(i == 0 ? Rejection.VERSION : Rejection.SIGNATURE));
            }
        }
        assertThat(openAudio(wire)).isInstanceOf(Verdict.Take.class);
    }

    @Test
    void cuttingOrExtendingAMessageFailsVerification() {
        byte[] wire = audioMessage();

        assertThat(openAudio(Arrays.copyOf(wire, wire.length - 1))).isEqualTo(new Verdict.Drop(Rejection.SIGNATURE));
        assertThat(openAudio(Arrays.copyOf(wire, wire.length + 2))).isEqualTo(new Verdict.Drop(Rejection.SIGNATURE));
        assertThat(openAudio(Arrays.copyOf(wire, RelayMessage.OVERHEAD - 1)))
                .isEqualTo(new Verdict.Drop(Rejection.MALFORMED));
        assertThat(openAudio("hello".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new Verdict.Drop(Rejection.MALFORMED));
        assertThat(openAudio(new byte[0])).isEqualTo(new Verdict.Drop(Rejection.MALFORMED));
    }

    @Test
    void aMessageSignedWithAnotherSecretFails() {
        byte[] wire = new RelayMessage(RelayMessage.AUDIO, UUID.randomUUID(), 1L, 1L, 1L, TestMedia.pcm(1, 64))
                .seal(RelayKey.from("some-other-relay-secret"), AUDIO);

        assertThat(openAudio(wire)).isEqualTo(new Verdict.Drop(Rejection.SIGNATURE));
    }

    @Test
    void aMessageMovedToAnotherDevicesChannelFails() {
        byte[] jpeg = TestMedia.jpeg(2);
        byte[] wire = new RelayMessage(RelayMessage.FRAME, UUID.randomUUID(), 1L, 1L, 1L, jpeg).seal(KEY, FRAMES);
        byte[] front = "doorcast:front:frames".getBytes(StandardCharsets.UTF_8);

        assertThat(RelayMessage.open(wire, front, RelayMessage.FRAME, LIMIT, KEY))
                .isEqualTo(new Verdict.Drop(Rejection.SIGNATURE));
        assertThat(RelayMessage.open(wire, AUDIO, RelayMessage.AUDIO, LIMIT, KEY))
                .isEqualTo(new Verdict.Drop(Rejection.SIGNATURE));
    }

    @Test
    void aSignedMessageOfTheWrongKindForItsChannelIsMalformed() {
        byte[] wire = new RelayMessage(RelayMessage.AUDIO, UUID.randomUUID(), 1L, 1L, 1L, TestMedia.pcm(1, 64))
                .seal(KEY, FRAMES);

        assertThat(RelayMessage.open(wire, FRAMES, RelayMessage.FRAME, LIMIT, KEY))
                .isEqualTo(new Verdict.Drop(Rejection.MALFORMED));
    }

    @Test
    void theUnsignedFirstVersionIsRefused() {
        byte[] jpeg = TestMedia.jpeg(3);
        ByteBuffer v1 = ByteBuffer.allocate(38 + jpeg.length);
        v1.put((byte) 1).put(RelayMessage.FRAME).putLong(1).putLong(2).putLong(System.currentTimeMillis())
                .putLong(-1).putInt(jpeg.length).put(jpeg);

        assertThat(RelayMessage.open(v1.array(), FRAMES, RelayMessage.FRAME, LIMIT, KEY))
                .isEqualTo(new Verdict.Drop(Rejection.VERSION));
    }

    @Test
    void aMessageLongerThanTheLimitIsRefusedBeforeItsSignatureIsChecked() {
        byte[] huge = new byte[RelayMessage.OVERHEAD + 1001];
        huge[0] = RelayMessage.VERSION;

        assertThat(RelayMessage.open(huge, FRAMES, RelayMessage.FRAME, 1000, KEY))
                .isEqualTo(new Verdict.Drop(Rejection.TOO_LARGE));
    }
}
