package dev.doorcast.buffer;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamBufferTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final StreamBuffer buffer = new StreamBuffer(3, 4, clock);

    @Test
    void emptyBufferHasNothingToGive() {
        assertThat(buffer.latestFrame()).isNull();
        assertThat(buffer.latestAudio()).isNull();
        assertThat(buffer.audioAfter(0)).isNull();
        assertThat(buffer.frameNearest(now.get(), Duration.ofSeconds(10))).isEmpty();
        BufferStats stats = buffer.stats();
        assertThat(stats.framesReceived()).isZero();
        assertThat(stats.lastFrameTime()).isNull();
        assertThat(stats.currentFrames()).isZero();
    }

    @Test
    void framesAreNumberedAndTheNewestIsLatest() {
        Frame first = buffer.addFrame(new byte[] {1}, "dev", 10L, 111L);
        Frame second = buffer.addFrame(new byte[] {2}, null, null, null);

        assertThat(first.sequence()).isEqualTo(1);
        assertThat(second.sequence()).isEqualTo(2);
        assertThat(first.deviceFrameId()).isEqualTo(10L);
        assertThat(buffer.latestFrame()).isSameAs(second);
    }

    @Test
    void ringKeepsOnlyTheNewestFramesAndCountsEvictions() {
        for (int i = 0; i < 5; i++) {
            buffer.addFrame(new byte[] {(byte) i}, null, null, null);
        }
        BufferStats stats = buffer.stats();

        assertThat(stats.framesReceived()).isEqualTo(5);
        assertThat(stats.currentFrames()).isEqualTo(3);
        assertThat(stats.frameCapacity()).isEqualTo(3);
        assertThat(stats.framesEvicted()).isEqualTo(2);
        assertThat(stats.bytesReceived()).isEqualTo(5);
    }

    @Test
    void audioIsWalkedInOrderFromAnySequence() {
        for (int i = 1; i <= 3; i++) {
            buffer.addAudio(new byte[] {(byte) i, 0}, (long) i * 100);
        }

        assertThat(buffer.audioAfter(0).sequence()).isEqualTo(1);
        assertThat(buffer.audioAfter(1).sequence()).isEqualTo(2);
        assertThat(buffer.audioAfter(2).deviceSequence()).isEqualTo(300L);
        assertThat(buffer.audioAfter(3)).isNull();
    }

    @Test
    void listenerThatFellOutOfTheRingResumesAtTheOldestHeld() {
        for (int i = 1; i <= 10; i++) {
            buffer.addAudio(new byte[] {(byte) i, 0}, null);
        }

        // Capacity 4: chunks 7 to 10 are held.
        assertThat(buffer.audioAfter(2).sequence()).isEqualTo(7);
        assertThat(buffer.stats().audioChunksEvicted()).isEqualTo(6);
    }

    @Test
    void syncedFrameIsTheNearestWithinTheWindow() {
        buffer.addFrame(new byte[] {1}, null, null, null);
        now.addAndGet(200);
        Frame middle = buffer.addFrame(new byte[] {2}, null, null, null);
        now.addAndGet(200);
        Frame last = buffer.addFrame(new byte[] {3}, null, null, null);

        assertThat(buffer.frameNearest(middle.receivedAt() + 90, Duration.ofMillis(500))).contains(middle);
        assertThat(buffer.frameNearest(middle.receivedAt() + 100, Duration.ofMillis(500)))
                .as("a tie goes to the newer frame").contains(last);
        assertThat(buffer.frameNearest(last.receivedAt() + 500, Duration.ofMillis(500))).contains(last);
        assertThat(buffer.frameNearest(last.receivedAt() + 501, Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void listenersHearOfEveryItemAfterItIsStored() {
        List<String> heard = new ArrayList<>();
        buffer.addListener(new BufferListener() {
            @Override
            public void onFrame(Frame frame) {
                heard.add("frame " + frame.sequence() + " latest=" + (buffer.latestFrame() == frame));
            }

            @Override
            public void onAudio(AudioChunk chunk) {
                heard.add("audio " + chunk.sequence());
            }
        });

        buffer.addFrame(new byte[] {1}, null, null, null);
        buffer.addAudio(new byte[] {1, 2}, null);

        assertThat(heard).containsExactly("frame 1 latest=true", "audio 1");
    }

    @Test
    void statsRecordArrivalTimes() {
        buffer.addFrame(new byte[] {1}, null, null, null);
        now.addAndGet(50);
        buffer.addAudio(new byte[] {1, 2}, null);

        BufferStats stats = buffer.stats();
        assertThat(stats.lastFrameTime()).isEqualTo(1_000_000L);
        assertThat(stats.lastAudioTime()).isEqualTo(1_000_050L);
    }
}
