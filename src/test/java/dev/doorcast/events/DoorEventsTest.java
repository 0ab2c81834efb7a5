package dev.doorcast.events;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DoorEventsTest {

    private final DoorEvents events = new DoorEvents("front", 1_000);

    @Test
    void aDeviceStartsOfflineSinceTheStartWithNothingPublished() {
        DoorEvents.Start start = events.start();

        assertThat(events.online()).isFalse();
        assertThat(start.sequence()).isZero();
        assertThat(start.presence().type()).isEqualTo("offline");
        assertThat(start.presence().sequence()).as("a state never published").isZero();
        assertThat(start.presence().data()).isEqualTo("{\"device\":\"front\",\"time\":1000}");
        assertThat(events.after(0)).isNull();
        assertThat(events.published()).isZero();
    }

    @Test
    void publishingNumbersTheEventInItsStreamFormAndWakesEveryDeliverer() {
        AtomicInteger woken = new AtomicInteger();
        events.onPublish(woken::incrementAndGet);
        events.onPublish(woken::incrementAndGet);

        DoorEvent first = events.publish("ring", "{\"a\":1}");
        DoorEvent second = events.publish("ring", "{\"a\":2}");

        assertThat(first.sequence()).isEqualTo(1);
        assertThat(second.sequence()).isEqualTo(2);
        assertThat(new String(first.bytes(), StandardCharsets.UTF_8)).isEqualTo("event: ring\ndata: {\"a\":1}\n\n");
        assertThat(woken).as("two wakers, two events").hasValue(4);
        assertThat(events.after(0)).isSameAs(first);
        assertThat(events.after(1)).isSameAs(second);
        assertThat(events.after(2)).isNull();
    }

    @Test
    void onlineAndOfflineBecomeTheStateARingDoesNot() {
        DoorEvent online = events.publish("online", "{}");
        events.publish("ring", "{}");

        assertThat(events.online()).isTrue();
        assertThat(events.start()).isEqualTo(new DoorEvents.Start(online, 2));

        DoorEvent offline = events.publish("offline", "{}");
        assertThat(events.online()).isFalse();
        assertThat(events.start().presence()).isSameAs(offline);
    }

    @Test
    void theLast64AreKeptAndAStreamThatFellFurtherBehindResumesAtTheOldest() {
        for (int i = 1; i <= 70; i++) {
            events.publish("ring", "{\"n\":" + i + "}");
        }

        assertThat(events.after(0).sequence()).as("1 to 6 are overwritten").isEqualTo(7);
        assertThat(events.after(6).data()).isEqualTo("{\"n\":7}");
        assertThat(events.after(40).sequence()).isEqualTo(41);
        assertThat(events.after(69).data()).isEqualTo("{\"n\":70}");
        assertThat(events.after(70)).isNull();
        assertThat(events.published()).isEqualTo(70);
    }
}
