package dev.doorcast.events;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.doorcast.buffer.Audience;
import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.DoorbellRings;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each device's buffer raising its own events: two devices, one clock, sweeps called by hand. */
class DoorWatchTest {

    private final AtomicLong now = new AtomicLong(50_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final Map<String, StreamBuffer> buffers = new LinkedHashMap<>();
    private final Map<String, DoorbellRings> rings = new LinkedHashMap<>();
    private final DeviceEvents events = new DeviceEvents(List.of("doorbell", "front"), clock);
    private final DoorWatch watch;

    DoorWatchTest() {
        buffers.put("doorbell", new StreamBuffer(4, 4, clock));
        buffers.put("front", new StreamBuffer(4, 4, clock));
        buffers.forEach((device, buffer) -> rings.put(device, new DoorbellRings(buffer, clock)));
        watch = new DoorWatch(events, new Buffers(), Duration.ofSeconds(5), clock);
    }

    /** The buffers and their rings by device, and nothing else a device has. */
    private final class Buffers implements DeviceStreams {

        @Override
        public List<String> devices() {
            return List.copyOf(buffers.keySet());
        }

        @Override
        public StreamBuffer buffer(String device) {
            return buffers.get(device);
        }

        @Override
        public DoorbellRings rings(String device) {
            return rings.get(device);
        }

        @Override
        public Audience audience(String device) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TalkBuffer talk(String device) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int speakerStreams(String device) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aRingAndAFrameRaiseEventsForTheirOwnDeviceOnly() {
        buffers.get("front").addFrame(TestMedia.jpeg(1), null, null, null);
        rings.get("front").ring(null);

        assertThat(events.of("front").after(0).type()).isEqualTo("online");
        assertThat(events.of("front").after(1).type()).isEqualTo("ring");
        assertThat(events.of("front").after(1).data()).contains("\"device\":\"front\"");
        assertThat(events.of("doorbell").published()).isZero();
    }

    @Test
    void theSweepUsesTheClockAndTurnsOfflineOnlyTheDeviceThatFellSilent() {
        buffers.get("doorbell").addFrame(TestMedia.jpeg(1), null, null, null);
        now.addAndGet(3_000);
        buffers.get("front").addFrame(TestMedia.jpeg(2), null, null, null);

        now.addAndGet(2_001);
        watch.sweep();

        assertThat(events.of("doorbell").online()).as("5,001 ms since its frame").isFalse();
        assertThat(events.of("front").online()).as("2,001 ms since its frame").isTrue();
        now.addAndGet(3_000);
        watch.sweep();
        assertThat(events.of("front").online()).isFalse();
        assertThat(events.of("front").start().presence().data()).contains("\"time\":" + now.get());
    }
}
