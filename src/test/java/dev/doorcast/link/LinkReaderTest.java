package dev.doorcast.link;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;

import dev.doorcast.testing.LinkClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader unmasks what a client masked, whatever the length and wherever the bytes fall. */
class LinkReaderTest {

    private final Random random = new Random(42);

    @Test
    void unmaskingUndoesTheMaskAtEveryOffsetAndLength() {
        for (int length = 0; length <= 40; length++) {
            for (int offset = 0; offset < 9; offset++) {
                byte[] mask = bytes(4);
                byte[] plain = bytes(offset + length + 3);
                byte[] masked = plain.clone();
                for (int i = 0; i < length; i++) {
                    masked[offset + i] ^= mask[i & 3];
                }
                LinkReader.unmask(masked, offset, length, mask);
                assertThat(masked).as("length %d at %d", length, offset).isEqualTo(plain);
            }
        }
    }

    @Test
    void aMaskedBinaryMessageComesOutAsItWasSentInAnyPiecesTheSocketGives() throws IOException {
        byte[] first = bytes(9 * 1024 + 3);
        byte[] second = bytes(2048);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(LinkClient.masked(0x82, first));
        wire.writeBytes(LinkClient.masked(0x82, second));
        ByteBuffer stream = ByteBuffer.wrap(wire.toByteArray());
        // The socket hands over at most 1,000 bytes a read, cutting headers and payloads anywhere.
        LinkReader reader = new LinkReader(into -> {
            if (!stream.hasRemaining()) {
                return -1;
            }
            int n = Math.min(Math.min(into.remaining(), 1000), stream.remaining());
            into.put(stream.slice(stream.position(), n));
            stream.position(stream.position() + n);
            return n;
        }, 64 * 1024, 4096);

        assertThat(reader.next().payload()).isEqualTo(first);
        assertThat(reader.next().payload()).isEqualTo(second);
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
