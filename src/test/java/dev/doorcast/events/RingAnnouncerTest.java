package dev.doorcast.events;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

import dev.doorcast.buffer.DoorbellRing;
import dev.doorcast.buffer.DoorbellRings;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class RingAnnouncerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AtomicLong now = new AtomicLong(1_795_650_743_201L);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final StreamBuffer buffer = new StreamBuffer(4, 4, clock);
    private final DoorbellRings rings = new DoorbellRings(buffer, clock);
    private final DoorEvents events = new DoorEvents("front", 0);

    RingAnnouncerTest() {
        buffer.addListener(new RingAnnouncer(events));
    }

    @Test
    void aRingIsAnnouncedWithItsNumberTimeAndTheLinksToItsPictureAndClip() {
        buffer.addFrame(TestMedia.jpeg(1), null, null, null);
        DoorbellRing ring = rings.ring(null);

        DoorEvent event = events.after(0);
        JsonNode data = JSON.readTree(event.data());

        assertThat(event.type()).isEqualTo("ring");
        assertThat(data.path("device").asString()).isEqualTo("front");
        assertThat(data.path("ringId").asLong()).isEqualTo(ring.id());
        assertThat(data.path("time").asLong()).isEqualTo(now.get());
        assertThat(data.path("snapshot").asString())
                .isEqualTo("/api/v1/stream/rings/" + ring.id() + "/snapshot?device=front");
        assertThat(data.path("clip").asString()).isEqualTo("/api/v1/stream/rings/" + ring.id() + "/clip?device=front");
    }

    @Test
    void aRingRelayedFromAnotherInstanceKeepsItsNumberAndTimeAndIsAnnouncedOnce() {
        rings.addRing(77, 1_000);
        rings.addRing(77, 1_000);

        assertThat(events.published()).isEqualTo(1);
        JsonNode data = JSON.readTree(events.after(0).data());
        assertThat(data.path("ringId").asLong()).isEqualTo(77);
        assertThat(data.path("time").asLong()).isEqualTo(1_000);
        assertThat(data.path("clip").asString()).isEqualTo("/api/v1/stream/rings/77/clip?device=front");
    }

    @Test
    void framesAndAudioAnnounceNothing() {
        buffer.addFrame(TestMedia.jpeg(1), null, null, null);
        buffer.addAudio(TestMedia.pcm(1, 64), null);

        assertThat(events.published()).isZero();
        assertThat(events.online()).as("a ring is no presence").isFalse();
    }
}
