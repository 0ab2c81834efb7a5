package dev.doorcast.relay;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class RejectionsTest {

    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final Rejections rejections = new Rejections(() -> Instant.ofEpochMilli(now.get()));

    private static long warnings(CapturedOutput output) {
        return output.getAll().lines().filter(line -> line.contains("failed the relay's checks")).count();
    }

    @Test
    void countsEachReasonApart() {
        rejections.add(Rejection.SIGNATURE);
        rejections.add(Rejection.SIGNATURE);
        rejections.add(Rejection.STALE);

        assertThat(rejections.count(Rejection.SIGNATURE)).isEqualTo(2);
        assertThat(rejections.count(Rejection.STALE)).isEqualTo(1);
        assertThat(rejections.count(Rejection.NOT_MEDIA)).isZero();
    }

    @Test
    void aFloodOfBadMessagesLogsOneLineAMinute(CapturedOutput output) {
        for (int i = 0; i < 10_000; i++) {
            rejections.add(Rejection.SIGNATURE);
        }
        assertThat(warnings(output)).isEqualTo(1);

        now.addAndGet(Rejections.WARN_EVERY.toMillis() - 1);
        rejections.add(Rejection.VERSION);
        assertThat(warnings(output)).isEqualTo(1);

        now.addAndGet(1);
        rejections.add(Rejection.STALE);
        assertThat(warnings(output)).isEqualTo(2);
        assertThat(output.getAll()).contains("Dropped 10001 message(s)")
                .contains("(version 1, signature 9999, stale 1)");
    }
}
