package dev.doorcast.ingest;

import dev.doorcast.system.ApiException;

/** Cheap checks that what a device sent is what it claims to be, before anything is stored. */
final class MediaCheck {

    private MediaCheck() {
    }

    /**
     * A JPEG starts with the SOI marker (FF D8) and ends with EOI (FF D9). Some cameras pad the end with
     * zero bytes after EOI; those are allowed and kept.
     */
    static void requireJpeg(byte[] bytes) {
        if (bytes.length == 0) {
            throw ApiException.badRequest("The frame is empty");
        }
        if (bytes.length < 4 || (bytes[0] & 0xFF) != 0xFF || (bytes[1] & 0xFF) != 0xD8) {
            throw ApiException.badRequest("The frame is not a JPEG: it does not start with the SOI marker FF D8");
        }
        int end = bytes.length;
        while (end > 2 && bytes[end - 1] == 0) {
            end--;
        }
        if ((bytes[end - 2] & 0xFF) != 0xFF || (bytes[end - 1] & 0xFF) != 0xD9) {
            throw ApiException.badRequest("The frame is not a whole JPEG: it does not end with the EOI marker FF D9");
        }
    }

    /** 16-bit samples come in whole pairs of bytes. */
    static void requirePcm(byte[] bytes) {
        if (bytes.length == 0) {
            throw ApiException.badRequest("The audio chunk is empty");
        }
        if (bytes.length % 2 != 0) {
            throw ApiException.badRequest("The audio chunk has " + bytes.length
                    + " bytes; 16-bit PCM needs an even number");
        }
    }
}
