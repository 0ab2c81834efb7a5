package dev.doorcast.ingest;

import dev.doorcast.buffer.MediaFault;
import dev.doorcast.system.ApiException;

/**
 * A device's answer for what {@link MediaFault} finds wrong: the checks themselves live in {@code buffer},
 * where the relay applies them too; the words and statuses a device gets back live here.
 */
final class MediaCheck {

    private MediaCheck() {
    }

    static void requireJpeg(byte[] bytes, long maxSize) {
        MediaFault fault = MediaFault.ofFrame(bytes, maxSize);
        if (fault != null) {
            throw switch (fault) {
                case EMPTY -> ApiException.badRequest("The frame is empty");
                case TOO_LARGE -> ApiException.tooLarge("The frame is larger than the limit of " + maxSize + " bytes");
                case NOT_JPEG -> ApiException.badRequest(
                        "The frame is not a JPEG: it does not start with the SOI marker FF D8");
                case NOT_WHOLE_JPEG -> ApiException.badRequest(
                        "The frame is not a whole JPEG: it does not end with the EOI marker FF D9");
                case ODD_LENGTH -> throw new AssertionError("an audio fault for a frame");
            };
        }
    }

    static void requirePcm(byte[] bytes, long maxSize) {
        MediaFault fault = MediaFault.ofAudio(bytes, maxSize);
        if (fault != null) {
            throw switch (fault) {
                case EMPTY -> ApiException.badRequest("The audio chunk is empty");
                case TOO_LARGE -> ApiException.tooLarge(
                        "The audio chunk is larger than the limit of " + maxSize + " bytes");
                case ODD_LENGTH -> ApiException.badRequest("The audio chunk has " + bytes.length
                        + " bytes; 16-bit PCM needs an even number");
                case NOT_JPEG, NOT_WHOLE_JPEG -> throw new AssertionError("a frame fault for audio");
            };
        }
    }
}
