package dev.doorcast.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceGateTest {

    private final SequenceGate gate = new SequenceGate();

    @Test
    void newNumbersPassRepeatsAndLateOnesDoNot() {
        assertThat(gate.admit(10L)).isTrue();
        assertThat(gate.admit(11L)).isTrue();
        assertThat(gate.admit(11L)).as("a retry").isFalse();
        assertThat(gate.admit(9L)).as("overtaken").isFalse();
        assertThat(gate.admit(13L)).as("a gap is fine").isTrue();
    }

    @Test
    void aMuchLowerNumberIsADeviceThatRestarted() {
        gate.admit(1000L);

        assertThat(gate.admit(0L)).isTrue();
        assertThat(gate.admit(1L)).isTrue();
        assertThat(gate.admit(1000L)).as("the old count is in the past now").isTrue();
    }

    @Test
    void postsWithoutNumbersAlwaysPass() {
        gate.admit(5L);

        assertThat(gate.admit(null)).isTrue();
        assertThat(gate.admit(null)).isTrue();
    }
}
