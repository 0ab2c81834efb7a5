package dev.doorcast.relay;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;

import static dev.doorcast.relay.RelayMessageTest.AUDIO;
import static dev.doorcast.relay.RelayMessageTest.FRAMES;
import static dev.doorcast.relay.RelayMessageTest.KEY;
import static org.assertj.core.api.Assertions.assertThat;

class RelayGateTest {

    private static final long MAX_FRAME = 256 * 1024;
    private static final long MAX_CHUNK = 16 * 1024;

    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final UUID self = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    private final RelayGate gate = new RelayGate(KEY, self, clock, MAX_FRAME, MAX_CHUNK, Duration.ofSeconds(10));
    private long serial;

    private byte[] frame(UUID from, long receivedAt, byte[] jpeg) {
        return new RelayMessage(RelayMessage.FRAME, from, ++serial, receivedAt, null, jpeg).seal(KEY, FRAMES);
    }

    private byte[] chunk(byte[] pcm) {
        return new RelayMessage(RelayMessage.AUDIO, other, ++serial, now.get(), null, pcm).seal(KEY, AUDIO);
    }

    private Verdict checkFrame(byte[] wire) {
        return gate.check(wire, FRAMES, RelayMessage.FRAME, Duration.ZERO);
    }

    private Verdict checkChunk(byte[] wire) {
        return gate.check(wire, AUDIO, RelayMessage.AUDIO, Duration.ZERO);
    }

    @Test
    void takesASignedFrameAndChunkFromAnotherInstance() {
        byte[] jpeg = TestMedia.jpeg(1);
        byte[] pcm = TestMedia.pcm(1, 2048);

        assertThat(checkFrame(frame(other, now.get(), jpeg))).isInstanceOfSatisfying(Verdict.Take.class,
                take -> assertThat(take.message().payload()).isEqualTo(jpeg));
        assertThat(checkChunk(chunk(pcm))).isInstanceOfSatisfying(Verdict.Take.class,
                take -> assertThat(take.message().payload()).isEqualTo(pcm));
    }

    private static final byte[] RINGS = "doorcast:doorbell:rings".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] TALK = "doorcast:doorbell:talk".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private byte[] ring(Long id, byte[] payload) {
        return new RelayMessage(RelayMessage.RING, other, ++serial, now.get(), id, payload).seal(KEY, RINGS);
    }

    private byte[] voice(byte[] payload) {
        return new RelayMessage(RelayMessage.TALK, other, ++serial, now.get(), 7L, payload).seal(KEY, TALK);
    }

    @Test
    void takesASignedRingAndVoiceChunkFromAnotherInstance() {
        byte[] pcm = TestMedia.pcm(5, 2048);

        assertThat(gate.check(ring(1795650743201L, new byte[0]), RINGS, RelayMessage.RING, Duration.ZERO))
                .isInstanceOfSatisfying(Verdict.Take.class,
                        take -> assertThat(take.message().deviceNumber()).isEqualTo(1795650743201L));
        assertThat(gate.check(voice(new TalkPayload("talker-0042", pcm).encode()), TALK, RelayMessage.TALK,
                Duration.ZERO)).isInstanceOfSatisfying(Verdict.Take.class, take -> {
                    TalkPayload said = TalkPayload.decode(take.message().payload());
                    assertThat(said.talkId()).isEqualTo("talker-0042");
                    assertThat(said.pcm()).isEqualTo(pcm);
                });
    }

    @Test
    void refusesRingsThatCarryAnythingButTheirDeletionAndVoiceWithoutATalkersId() {
        assertThat(gate.check(ring(5L, new byte[] {1}), RINGS, RelayMessage.RING, Duration.ZERO))
                .isEqualTo(new Verdict.Drop(Rejection.MALFORMED));
        assertThat(gate.check(ring(5L, new byte[] {'D', 'D'}), RINGS, RelayMessage.RING, Duration.ZERO))
                .isEqualTo(new Verdict.Drop(Rejection.TOO_LARGE));
        assertThat(gate.check(ring(5L, RelayMessage.DELETED), RINGS, RelayMessage.RING, Duration.ZERO))
                .isInstanceOfSatisfying(Verdict.Take.class,
                        take -> assertThat(take.message().payload()).isEqualTo(RelayMessage.DELETED));
        assertThat(gate.check(ring(null, new byte[0]), RINGS, RelayMessage.RING, Duration.ZERO))
                .isEqualTo(new Verdict.Drop(Rejection.MALFORMED));
        byte[] badId = new TalkPayload("no spaces!", TestMedia.pcm(6, 2048)).encode();
        assertThat(gate.check(voice(badId), TALK, RelayMessage.TALK, Duration.ZERO))
                .isEqualTo(new Verdict.Drop(Rejection.MALFORMED));
        assertThat(gate.check(voice(new byte[] {100, 1, 2}), TALK, RelayMessage.TALK, Duration.ZERO))
                .isEqualTo(new Verdict.Drop(Rejection.MALFORMED));
        byte[] odd = new TalkPayload("talker-0043", new byte[2047]).encode();
        assertThat(gate.check(voice(odd), TALK, RelayMessage.TALK, Duration.ZERO))
                .isEqualTo(new Verdict.Drop(Rejection.NOT_MEDIA));
        byte[] frameOnTalk = new RelayMessage(RelayMessage.FRAME, other, ++serial, now.get(), null,
                TestMedia.jpeg(7)).seal(KEY, TALK);
        assertThat(gate.check(frameOnTalk, TALK, RelayMessage.TALK, Duration.ZERO))
                .as("a frame signed for the talk channel is still no voice").isInstanceOf(Verdict.Drop.class);
    }

    @Test
    void leavesItsOwnMessagesAlone() {
        assertThat(checkFrame(frame(self, now.get(), TestMedia.jpeg(2)))).isEqualTo(Verdict.OWN);
    }

    @Test
    void refusesMessagesBeyondTheClockToleranceEitherWay() {
        long tolerance = RelayGate.CLOCK_TOLERANCE.toMillis();
        byte[] jpeg = TestMedia.jpeg(3);

        assertThat(checkFrame(frame(other, now.get() - tolerance, jpeg))).isInstanceOf(Verdict.Take.class);
        assertThat(checkFrame(frame(other, now.get() + tolerance, jpeg))).isInstanceOf(Verdict.Take.class);
        Verdict stale = new Verdict.Drop(Rejection.STALE);
        assertThat(checkFrame(frame(other, now.get() - tolerance - 1, jpeg))).isEqualTo(stale);
        assertThat(checkFrame(frame(other, now.get() + tolerance + 1, jpeg))).isEqualTo(stale);
        assertThat(checkFrame(frame(other, now.get() - 60_000, jpeg))).isEqualTo(stale);
    }

    @Test
    void theLatestFrameKeyMayBeAsOldAsItLives() {
        byte[] wire = frame(other, now.get() - 14_000, TestMedia.jpeg(4));

        assertThat(gate.check(wire, FRAMES, RelayMessage.FRAME, Duration.ofSeconds(10)))
                .isInstanceOf(Verdict.Take.class);
        assertThat(gate.check(wire, FRAMES, RelayMessage.FRAME, Duration.ZERO))
                .isEqualTo(new Verdict.Drop(Rejection.STALE));
    }

    @Test
    void refusesSignedBytesThatAreNoJpeg() {
        byte[] notJpeg = "GIF89a, or anything else".getBytes();
        byte[] cut = java.util.Arrays.copyOf(TestMedia.jpeg(5), 100);

        assertThat(checkFrame(frame(other, now.get(), notJpeg))).isEqualTo(new Verdict.Drop(Rejection.NOT_MEDIA));
        assertThat(checkFrame(frame(other, now.get(), cut))).isEqualTo(new Verdict.Drop(Rejection.NOT_MEDIA));
        assertThat(checkFrame(frame(other, now.get(), new byte[0]))).isEqualTo(new Verdict.Drop(Rejection.NOT_MEDIA));
    }

    @Test
    void refusesSignedAudioThatIsNoWhole16BitPcm() {
        assertThat(checkChunk(chunk(new byte[] {1, 2, 3}))).isEqualTo(new Verdict.Drop(Rejection.NOT_MEDIA));
        assertThat(checkChunk(chunk(new byte[0]))).isEqualTo(new Verdict.Drop(Rejection.NOT_MEDIA));
    }

    @Test
    void refusesSignedMessagesOverTheLimitsOfTheirKind() {
        byte[] bigJpeg = TestMedia.jpegOfSize((int) MAX_FRAME + 1);
        byte[] bigChunk = new byte[(int) MAX_CHUNK + 2];

        assertThat(checkFrame(frame(other, now.get(), bigJpeg))).isEqualTo(new Verdict.Drop(Rejection.TOO_LARGE));
        assertThat(checkChunk(chunk(bigChunk))).isEqualTo(new Verdict.Drop(Rejection.TOO_LARGE));
        assertThat(checkFrame(RelayCodec.OVERSIZED)).isEqualTo(new Verdict.Drop(Rejection.TOO_LARGE));
    }

    @Test
    void takesEachMessageOnce() {
        RelayMessage first = ((Verdict.Take) checkFrame(frame(other, now.get(), TestMedia.jpeg(6)))).message();
        RelayMessage second = ((Verdict.Take) checkFrame(frame(other, now.get(), TestMedia.jpeg(7)))).message();

        assertThat(gate.firstTime(second)).isTrue();
        assertThat(gate.firstTime(first)).as("overtaken, not yet taken").isTrue();
        assertThat(gate.firstTime(first)).isFalse();
        assertThat(gate.firstTime(second)).isFalse();
    }

    @Test
    void sendersAreKeptApart() {
        RelayMessage fromOther = new RelayMessage(RelayMessage.FRAME, other, 1, now.get(), null, TestMedia.jpeg(8));
        RelayMessage fromThird = new RelayMessage(RelayMessage.FRAME, UUID.randomUUID(), 1, now.get(), null,
                TestMedia.jpeg(8));

        assertThat(gate.firstTime(fromOther)).isTrue();
        assertThat(gate.firstTime(fromThird)).isTrue();
    }
}
