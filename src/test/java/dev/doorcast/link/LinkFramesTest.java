package dev.doorcast.link;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static dev.doorcast.testing.LinkClient.masked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pushed framing gives what {@link LinkReader} gives, whatever pieces the socket hands it: whole messages
 * and control frames unmasked, fragmented messages joined, and a broken rule found where it is broken.
 */
class LinkFramesTest {

    private final Random random = new Random(7);

    @Test
    void messagesComeOutWholeAndInOrderInPiecesOfEverySize() throws Exception {
        byte[] jpeg = bytes(9 * 1024 + 3);
        byte[] pcm = bytes(2048);
        byte[] small = bytes(125);
        byte[] large = bytes(70_000);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(masked(0x82, jpeg));
        wire.writeBytes(masked(0x89, new byte[] {1, 2, 3}));
        wire.writeBytes(masked(0x82, pcm));
        wire.writeBytes(masked(0x82, new byte[0]));
        // A text message in three fragments with a pong between them.
        byte[] text = "{\"type\":\"hello\",\"say\":\"grüß dich\"}".getBytes(StandardCharsets.UTF_8);
        wire.writeBytes(masked(0x01, Arrays.copyOfRange(text, 0, 5)));
        wire.writeBytes(masked(0x8A, bytes(8)));
        wire.writeBytes(masked(0x00, Arrays.copyOfRange(text, 5, 20)));
        wire.writeBytes(masked(0x80, Arrays.copyOfRange(text, 20, text.length)));
        wire.writeBytes(masked(0x82, small));
        wire.writeBytes(masked(0x82, large));
        wire.writeBytes(masked(0x88, new byte[] {0x03, (byte) 0xE8}));
        byte[] stream = wire.toByteArray();

        for (int piece = 1; piece <= 1024; piece++) {
            List<LinkReader.Received> got = new ArrayList<>();
            LinkFrames frames = new LinkFrames(128 * 1024, 4096);
            for (int at = 0; at < stream.length; at += piece) {
                ByteBuffer in = ByteBuffer.wrap(stream, at, Math.min(piece, stream.length - at));
                frames.feed(in, (opcode, payload) -> got.add(new LinkReader.Received(opcode, payload)));
                assertThat(in.hasRemaining()).as("pieces of %d", piece).isFalse();
            }

            assertThat(got).as("pieces of %d", piece).extracting(LinkReader.Received::opcode).containsExactly(
                    LinkReader.BINARY, LinkReader.PING, LinkReader.BINARY, LinkReader.BINARY, LinkReader.PONG,
                    LinkReader.TEXT, LinkReader.BINARY, LinkReader.BINARY, LinkReader.CLOSE);
            assertThat(got.get(0).payload()).isEqualTo(jpeg);
            assertThat(got.get(1).payload()).containsExactly(1, 2, 3);
            assertThat(got.get(2).payload()).isEqualTo(pcm);
            assertThat(got.get(3).payload()).isEmpty();
            assertThat(got.get(5).payload()).isEqualTo(text);
            assertThat(got.get(6).payload()).isEqualTo(small);
            assertThat(got.get(7).payload()).isEqualTo(large);
            assertThat(got.get(8).payload()).containsExactly(0x03, 0xE8);
        }
    }

    @Test
    void whatFollowsAMessageTheHandlerStoppedAtIsNotLookedAt() throws Exception {
        byte[] stream = concat(masked(0x88, new byte[0]), masked(0x82, bytes(10)), new byte[] {0x70, 0x00});
        List<Integer> got = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(stream);

        boolean more = new LinkFrames(1024, 1024).feed(in, (opcode, payload) -> got.add(opcode) && false);

        assertThat(more).isFalse();
        assertThat(got).containsExactly(LinkReader.CLOSE);
        assertThat(in.remaining()).isEqualTo(stream.length - 6);
    }

    @Test
    void aRuleBrokenMidStreamEndsTheFramingWithItsCodeAfterTheMessagesBeforeIt() {
        byte[] first = bytes(3000);
        byte[] unmasked = {(byte) 0x82, 0x03, 1, 2, 3};
        assertBrokenAfterOneMessage(concat(masked(0x82, first), unmasked), first, 1002);
        assertBrokenAfterOneMessage(concat(masked(0x82, first), masked(0xC2, bytes(3))), first, 1002);
        assertBrokenAfterOneMessage(concat(masked(0x82, first), masked(0x83, bytes(3))), first, 1002);
        assertBrokenAfterOneMessage(concat(masked(0x82, first), masked(0x80, bytes(3))), first, 1002);
        assertBrokenAfterOneMessage(concat(masked(0x82, first), masked(0x09, bytes(3))), first, 1002);
        assertBrokenAfterOneMessage(concat(masked(0x82, first), masked(0x89, bytes(126))), first, 1002);
        assertBrokenAfterOneMessage(concat(masked(0x82, first), masked(0x02, bytes(3)), masked(0x82, bytes(3))),
                first, 1002);
        assertBrokenAfterOneMessage(concat(masked(0x82, first), masked(0x81, new byte[] {(byte) 0xC3, 0x28})),
                first, 1007);
        // Past the limit, judged from the header alone: the payload never comes, and need not.
        assertBrokenAfterOneMessage(concat(masked(0x82, first), Arrays.copyOf(masked(0x82, bytes(5000)), 8)),
                first, 1009);
        assertBrokenAfterOneMessage(concat(masked(0x82, first), masked(0x02, bytes(3000)),
                Arrays.copyOf(masked(0x80, bytes(2000)), 8)), first, 1009);
    }

    private void assertBrokenAfterOneMessage(byte[] stream, byte[] first, int code) {
        for (int piece = 1; piece <= 64; piece++) {
            List<byte[]> got = new ArrayList<>();
            LinkFrames frames = new LinkFrames(4096, 1024);
            int size = piece;
            assertThatThrownBy(() -> {
                for (int at = 0; at < stream.length; at += size) {
                    frames.feed(ByteBuffer.wrap(stream, at, Math.min(size, stream.length - at)),
                            (opcode, payload) -> got.add(payload));
                }
            }).as("pieces of %d", piece).isInstanceOfSatisfying(LinkReader.Violation.class,
                    violation -> assertThat(violation.code()).isEqualTo(code));
            assertThat(got).as("pieces of %d", piece).hasSize(1);
            assertThat(got.getFirst()).isEqualTo(first);
        }
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
