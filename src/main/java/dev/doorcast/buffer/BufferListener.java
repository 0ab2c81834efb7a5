package dev.doorcast.buffer;

/**
 * Told of every frame, chunk and doorbell ring right after it is stored, on the thread of the device's
 * request. An implementation must return at once: hand the news on, never write to a socket here.
 */
public interface BufferListener {

    default void onFrame(Frame frame) {
    }

    default void onAudio(AudioChunk chunk) {
    }

    /** Someone rang the doorbell, here or (relayed) through another instance. */
    default void onRing(DoorbellRing ring) {
    }

    /** Someone deleted a ring here; the ring has already let go of its picture and clip. */
    default void onRingDeleted(DoorbellRing ring) {
    }
}
