package dev.doorcast.relay;

import java.util.UUID;

import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayMessageTest {

    @Test
    void roundTripsAFrameWithItsBytesUntouched() {
        byte[] jpeg = TestMedia.jpeg(1);
        UUID instance = UUID.randomUUID();
        byte[] wire = new RelayMessage(RelayMessage.FRAME, instance, 1234L, 77L, jpeg).encode();

        RelayMessage back = RelayMessage.decode(wire);

        assertThat(wire).hasSize(jpeg.length + 38);
        assertThat(back.kind()).isEqualTo(RelayMessage.FRAME);
        assertThat(back.instance()).isEqualTo(instance);
        assertThat(back.receivedAt()).isEqualTo(1234L);
        assertThat(back.deviceNumber()).isEqualTo(77L);
        assertThat(back.payload()).isEqualTo(jpeg);
    }

    @Test
    void keepsAMissingDeviceNumberMissing() {
        byte[] wire = new RelayMessage(RelayMessage.AUDIO, UUID.randomUUID(), 1L, null, new byte[] {1, 2}).encode();

        assertThat(RelayMessage.decode(wire).deviceNumber()).isNull();
    }

    @Test
    void ignoresAnythingThatIsNotAMessage() {
        byte[] wire = new RelayMessage(RelayMessage.AUDIO, UUID.randomUUID(), 1L, 5L, new byte[] {1, 2}).encode();
        byte[] truncated = java.util.Arrays.copyOf(wire, wire.length - 1);
        byte[] otherVersion = wire.clone();
        otherVersion[0] = 9;

        assertThat(RelayMessage.decode(truncated)).isNull();
        assertThat(RelayMessage.decode(otherVersion)).isNull();
        assertThat(RelayMessage.decode(new byte[] {1})).isNull();
        assertThat(RelayMessage.decode("hello".getBytes())).isNull();
    }
}
