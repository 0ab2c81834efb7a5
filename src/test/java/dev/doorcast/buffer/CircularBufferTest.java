package dev.doorcast.buffer;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CircularBufferTest {

    private record Item(long sequence, long receivedAt) implements Sequenced {
    }

    @Test
    void refusesAZeroCapacity() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CircularBuffer<Item>(0));
    }

    @Test
    void holdsAtMostItsCapacityOldestFirst() {
        CircularBuffer<Item> buffer = new CircularBuffer<>(3);
        for (int i = 0; i < 7; i++) {
            buffer.append(seq -> new Item(seq, 0));
        }

        assertThat(buffer.toList()).extracting(Item::sequence).containsExactly(5L, 6L, 7L);
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.evictions()).isEqualTo(4);
        assertThat(buffer.added()).isEqualTo(7);
        assertThat(buffer.newest().sequence()).isEqualTo(7);
    }

    @Test
    void afterSkipsToTheOldestHeldWhenTheNextWasOverwritten() {
        CircularBuffer<Item> buffer = new CircularBuffer<>(2);
        for (int i = 0; i < 5; i++) {
            buffer.append(seq -> new Item(seq, 0));
        }

        assertThat(buffer.after(1).sequence()).isEqualTo(4);
        assertThat(buffer.after(4).sequence()).isEqualTo(5);
        assertThat(buffer.after(5)).isNull();
    }

    @Test
    void concurrentAppendsKeepSequencesDenseAndUnique() throws Exception {
        CircularBuffer<Item> buffer = new CircularBuffer<>(100_000);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            IntStream.range(0, 4).forEach(t -> pool.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    buffer.append(seq -> new Item(seq, 0));
                }
            }));
        }

        assertThat(buffer.toList()).extracting(Item::sequence)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 40_000).mapToObj(i -> (long) i).toList());
    }
}
