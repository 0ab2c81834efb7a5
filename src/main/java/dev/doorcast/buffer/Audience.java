package dev.doorcast.buffer;

/** How many are receiving the live streams right now, as the device's answers report it. */
public interface Audience {

    /** Camera viewers connected now. */
    int viewers();

    /** Audio listeners connected now. */
    int listeners();

    /** Events streams open now: the viewers a doorbell ring reaches at once. */
    int eventStreams();
}
