package dev.doorcast.talk;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.device.Channels;
import dev.doorcast.events.DeviceEvents;
import dev.doorcast.speaker.Speakers;
import dev.doorcast.stream.Viewers;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.testing.TestMedia;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The talk rules on their own: a clock that stands still unless moved, two devices, no Spring, no HTTP. */
class TalkersTest {

    private static final String ALICE = "alice-0001";
    private static final String BOB = "bob-00002";
    private static final int MAX_CHUNK = 16 * 1024;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final DoorcastProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
            "doorcast.devices.front.token", "front-device-token-0123456789")))
            .bindOrCreate("doorcast", Bindable.of(DoorcastProperties.class));
    private final Channels channels = new Channels(properties, new DeviceEvents(properties.deviceIds(), clock), clock);
    private final Viewers viewers = new Viewers(channels, properties, clock);
    private final Talkers talkers = new Talkers(channels, viewers, properties, clock);

    private Talkers.Said say(String talkId, @Nullable Long sequence, byte[] pcm) throws IOException {
        return say("doorbell", talkId, sequence, pcm);
    }

    private Talkers.Said say(String device, String talkId, @Nullable Long sequence, byte[] pcm) throws IOException {
        return talkers.say(device, talkId, sequence, new ByteArrayInputStream(pcm), pcm.length);
    }

    private static ApiException refused(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(ApiException.class);
        return (ApiException) thrown;
    }

    private TalkBuffer line() {
        return channels.get("doorbell").talk();
    }

    @Test
    void aChunkIsStoredOnTheDevicesLineAndAnsweredWithItsNumbers() throws IOException {
        byte[] pcm = TestMedia.pcm(1, 2048);

        Talkers.Said said = say(ALICE, 7L, pcm);

        assertThat(said).isEqualTo(new Talkers.Said(1, 7, 2048, 0, true));
        assertThat(line().latestAudio().pcm()).isEqualTo(pcm);
        assertThat(line().holder()).isEqualTo(ALICE);
        assertThat(say(ALICE, null, pcm).sequence()).as("without X-Sequence, the server's number").isEqualTo(2);
    }

    @Test
    void theAnswerCountsTheDoorbellsSpeakers() throws IOException {
        new Speakers(viewers, properties).of("doorbell").joined(Thread.currentThread());

        assertThat(say(ALICE, 0L, new byte[2]).speakers()).isEqualTo(1);
        assertThat(say("front", ALICE, 0L, new byte[2]).speakers()).as("another device's speakers").isZero();
    }

    @Test
    void anotherTalkerGets409WithRetryAfterWhileTheLineIsHeldThenTakesItASecondLater() throws IOException {
        say(ALICE, 0L, new byte[2]);
        now.addAndGet(300);

        ApiException busy = refused(() -> say(BOB, 0L, new byte[2]));

        assertThat(busy.status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(busy.title()).isEqualTo("Someone else is talking");
        assertThat(busy.retryAfterSeconds()).as("700 ms left, rounded up").isEqualTo(1);
        assertThat(line().chunksReceived()).as("nothing of bob's stored").isEqualTo(1);

        now.addAndGet(700);
        assertThat(say(BOB, 0L, new byte[2]).stored()).isTrue();
        assertThat(line().holder()).isEqualTo(BOB);
    }

    @Test
    void eachDeviceHasItsOwnLine() throws IOException {
        say(ALICE, 0L, new byte[2]);

        assertThat(say("front", BOB, 0L, new byte[2]).stored()).isTrue();
    }

    @Test
    void aRepeatOrLateChunkIsAcknowledgedWithTheNewestNumberAndNotStored() throws IOException {
        say(ALICE, 5L, new byte[2]);
        say(ALICE, 6L, new byte[2]);

        Talkers.Said repeat = say(ALICE, 6L, new byte[4]);
        Talkers.Said late = say(ALICE, 4L, new byte[2]);

        assertThat(repeat).isEqualTo(new Talkers.Said(2, 6, 4, 0, false));
        assertThat(late.stored()).isFalse();
        assertThat(line().chunksReceived()).isEqualTo(2);
        assertThat(say(ALICE, 7L, new byte[2]).stored()).isTrue();
    }

    @Test
    void aNewTalkerStartsItsNumbersAfreshAndARefusedOneResetsNobodys() throws IOException {
        say(ALICE, 10L, new byte[2]);
        refused(() -> say(BOB, 1L, new byte[2]));
        assertThat(say(ALICE, 10L, new byte[2]).stored()).as("alice's numbers kept through bob's 409").isFalse();

        now.addAndGet(1000);
        assertThat(say(BOB, 5L, new byte[2]).stored()).as("5 below alice's last, but bob's first").isTrue();
    }

    @Test
    void aTalkerPastFourTimesRealTimeGets429AndNothingIsStored() throws IOException {
        byte[] chunk = new byte[MAX_CHUNK];
        for (long i = 0; i < 7; i++) {
            assertThat(say(ALICE, i, chunk).stored()).isTrue();
        }

        ApiException tooFast = refused(() -> say(ALICE, 7L, chunk));

        assertThat(tooFast.status()).as("8 x 16 KB is past 128,000 bytes a second").isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(tooFast.retryAfterSeconds()).isEqualTo(1);
        assertThat(line().chunksReceived()).isEqualTo(7);
        now.addAndGet(200);
        assertThat(say(ALICE, 7L, chunk).stored()).as("a fifth of a second refills 25,600 bytes").isTrue();
    }

    @Test
    void badChunksAreRefusedWithTheMicrophonesStatusesAndChangeNothing() {
        assertThat(refused(() -> say(ALICE, 0L, new byte[2047])).getMessage()).contains("even number");
        assertThat(refused(() -> say(ALICE, 0L, new byte[0])).status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(refused(() -> say(ALICE, -1L, new byte[2])).getMessage())
                .contains("X-Sequence must not be negative");
        assertThat(refused(() -> say(ALICE, 0L, new byte[MAX_CHUNK + 2])).status())
                .isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(refused(() -> talkers.say("doorbell", ALICE, 0L, new ByteArrayInputStream(new byte[MAX_CHUNK + 2]),
                -1)).status()).as("too large without a Content-Length").isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(refused(() -> say("garage", ALICE, 0L, new byte[2])).status()).isEqualTo(HttpStatus.NOT_FOUND);

        assertThat(line().chunksReceived()).isZero();
        assertThat(line().holder()).isNull();
    }

    @Test
    void aBadTalkIdIsRefusedBeforeTheBodyIsRead() {
        InputStream unread = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body was read");
            }
        };

        for (String talkId : new String[] {"short", "has spaces in it", "x".repeat(65)}) {
            ApiException bad = refused(() -> talkers.say("doorbell", talkId, 0L, unread, 1_000_000));
            assertThat(bad.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(bad.getMessage()).contains("X-Talk-Id");
        }
    }

    @Test
    void aBodyPastTheLimitIsNotReadFurtherThanOneByteBeyondIt() {
        AtomicLong read = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read.incrementAndGet();
                return 0;
            }
        };

        assertThat(refused(() -> talkers.say("doorbell", ALICE, 0L, endless, -1)).status())
                .isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(read.get()).isEqualTo(MAX_CHUNK + 1);
    }
}
