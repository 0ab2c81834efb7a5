package dev.doorcast.buffer;

/** Something the buffer numbered when it arrived: sequences start at 1 and only grow. */
public interface Sequenced {

    long sequence();

    /** Server wall-clock time it arrived, epoch milliseconds. */
    long receivedAt();
}
