package dev.doorcast.buffer;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TalkBufferTest {

    private final AtomicLong now = new AtomicLong(5_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final TalkBuffer talk = new TalkBuffer(4, clock);

    @Test
    void theLineBelongsToOneTalkerUntilASecondPassesWithoutAChunkFromIt() {
        assertThat(talk.add("alice", new byte[] {1, 0}, 1L)).isNotNull();
        now.addAndGet(600);
        assertThat(talk.busyFor("bob")).isEqualTo(400);
        assertThat(talk.add("bob", new byte[] {2, 0}, 1L)).isNull();
        assertThat(talk.add("alice", new byte[] {3, 0}, 2L)).as("alice keeps it by talking").isNotNull();
        now.addAndGet(999);
        assertThat(talk.busyFor("bob")).isEqualTo(1);
        assertThat(talk.holder()).isEqualTo("alice");
        now.addAndGet(1);

        assertThat(talk.busyFor("bob")).isZero();
        assertThat(talk.holder()).isNull();
        assertThat(talk.add("bob", new byte[] {4, 0}, 1L)).isNotNull();
        assertThat(talk.busyFor("alice")).isEqualTo(1000);
    }

    @Test
    void chunksAreWalkedInOrderAndListenersHearWhoSpoke() {
        List<String> heard = new ArrayList<>();
        talk.addListener((chunk, talkId) -> heard.add(talkId + ":" + chunk.sequence()));

        AudioChunk first = talk.add("alice", new byte[] {1, 0}, 7L);
        AudioChunk second = talk.add("alice", new byte[] {2, 0}, 8L);

        assertThat(talk.audioAfter(0)).isSameAs(first);
        assertThat(talk.audioAfter(first.sequence())).isSameAs(second);
        assertThat(talk.audioAfter(second.sequence())).isNull();
        assertThat(talk.latestAudio()).isSameAs(second);
        assertThat(second.deviceSequence()).isEqualTo(8L);
        assertThat(heard).containsExactly("alice:1", "alice:2");
        assertThat(talk.chunksReceived()).isEqualTo(2);
    }
}
