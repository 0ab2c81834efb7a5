package dev.doorcast.relay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayWindowTest {

    private final ReplayWindow window = new ReplayWindow(0);

    @Test
    void takesEachSerialOnce() {
        assertThat(window.take(1, 0)).isTrue();
        assertThat(window.take(2, 0)).isTrue();
        assertThat(window.take(1, 0)).isFalse();
        assertThat(window.take(2, 0)).isFalse();
    }

    @Test
    void takesSerialsThatArriveOutOfOrderWithinTheWindow() {
        assertThat(window.take(100, 0)).isTrue();
        assertThat(window.take(99, 0)).isTrue();
        assertThat(window.take(100 - ReplayWindow.SIZE + 1, 0)).isTrue();
        assertThat(window.take(99, 0)).isFalse();
    }

    @Test
    void refusesSerialsTooFarBehindToTell() {
        assertThat(window.take(1000, 0)).isTrue();

        assertThat(window.take(1000 - ReplayWindow.SIZE, 0)).isFalse();
        assertThat(window.take(1, 0)).isFalse();
    }

    @Test
    void aJumpForwardForgetsWhatItLeftBehind() {
        assertThat(window.take(5, 0)).isTrue();
        assertThat(window.take(5 + 3 * ReplayWindow.SIZE, 0)).isTrue();
        assertThat(window.take(5 + 3 * ReplayWindow.SIZE - 1, 0)).isTrue();
        assertThat(window.take(5, 0)).isFalse();
    }

    @Test
    void refusesSerialsBelowOne() {
        assertThat(window.take(0, 0)).isFalse();
        assertThat(window.take(-1, 0)).isFalse();
    }

    @Test
    void remembersWhenItLastTookOne() {
        window.take(1, 1234);
        window.take(1, 5678);

        assertThat(window.lastTaken()).isEqualTo(1234);
    }
}
