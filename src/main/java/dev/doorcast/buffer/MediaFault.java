package dev.doorcast.buffer;

import org.jspecify.annotations.Nullable;

/**
 * What is wrong with bytes offered as a frame or an audio chunk, if anything. Every way into a buffer
 * asks this before it stores: a device's POST (which turns a fault into its 400 or 413 answer) and a
 * message from another instance (which is dropped). Cheap: it looks at the length and the first and
 * last bytes, never decodes.
 */
public enum MediaFault {

    /** No bytes at all. */
    EMPTY,
    /** Longer than the configured limit for its kind. */
    TOO_LARGE,
    /** A frame that does not start with the JPEG SOI marker {@code FF D8}. */
    NOT_JPEG,
    /** A frame that does not end with the JPEG EOI marker {@code FF D9} (zero padding after it allowed). */
    NOT_WHOLE_JPEG,
    /** An audio chunk with an odd number of bytes: 16-bit samples come in whole pairs. */
    ODD_LENGTH;

    /**
     * What is wrong with a would-be frame, or null when it may be stored. A JPEG starts with the SOI marker
     * (FF D8) and ends with EOI (FF D9); some cameras pad the end with zero bytes after EOI, which are
     * allowed and kept.
     */
    public static @Nullable MediaFault ofFrame(byte[] jpeg, long maxSize) {
        if (jpeg.length == 0) {
            return EMPTY;
        }
        if (jpeg.length > maxSize) {
            return TOO_LARGE;
        }
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            return NOT_JPEG;
        }
        int end = jpeg.length;
        while (end > 2 && jpeg[end - 1] == 0) {
            end--;
        }
        if ((jpeg[end - 2] & 0xFF) != 0xFF || (jpeg[end - 1] & 0xFF) != 0xD9) {
            return NOT_WHOLE_JPEG;
        }
        return null;
    }

    /** What is wrong with a would-be audio chunk of 16-bit PCM, or null when it may be stored. */
    public static @Nullable MediaFault ofAudio(byte[] pcm, long maxSize) {
        if (pcm.length == 0) {
            return EMPTY;
        }
        if (pcm.length > maxSize) {
            return TOO_LARGE;
        }
        if (pcm.length % 2 != 0) {
            return ODD_LENGTH;
        }
        return null;
    }
}
