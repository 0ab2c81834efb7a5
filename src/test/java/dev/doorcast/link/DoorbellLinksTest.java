package dev.doorcast.link;

import java.time.Duration;

import dev.doorcast.ingest.DeviceIntake;
import dev.doorcast.speaker.Speaker;
import dev.doorcast.stream.DeviceViewers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** One link per doorbell, the one whose handshake came last, whatever order their threads start in. */
class DoorbellLinksTest {

    private final DoorbellLinks links = new DoorbellLinks();

    @Test
    void aLinkWhoseThreadStartsLateDoesNotReplaceTheNewerLinkOfItsDoorbell() {
        links.start();
        DoorbellLink older = link(1_000);
        DoorbellLink newer = link(2_000);

        links.opened(newer);
        links.opened(older);

        assertThat(links.state("front").since()).isEqualTo(2_000);
    }

    @Test
    void aNewerLinkReplacesTheOlderOne() {
        links.start();
        DoorbellLink older = link(1_000);
        links.opened(older);
        links.opened(link(2_000));

        assertThat(links.state("front").since()).isEqualTo(2_000);
    }

    /** A link of the doorbell "front", opened at {@code at}; its handshake is answered now. */
    private DoorbellLink link(long at) {
        return new DoorbellLink("front", mock(DeviceIntake.class), mock(DeviceViewers.class), mock(Speaker.class),
                links, Duration.ofSeconds(10), Duration.ofSeconds(15), at);
    }
}
