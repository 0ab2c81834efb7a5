package dev.doorcast.ingest;

import java.io.IOException;
import java.io.InputStream;

import dev.doorcast.system.ApiException;

/** Reads a request body into memory, refusing it as soon as it passes the limit rather than after. */
final class BoundedBody {

    private BoundedBody() {
    }

    /** @param what the body's name in an error, such as "The audio chunk" */
    static byte[] read(InputStream in, long declaredLength, int limit, String what) throws IOException {
        if (declaredLength > limit) {
            throw tooLarge(what, declaredLength, limit);
        }
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw tooLarge(what, bytes.length, limit);
        }
        return bytes;
    }

    private static ApiException tooLarge(String what, long length, int limit) {
        return ApiException.tooLarge(what + " is larger than the limit of " + limit + " bytes"
                + (length > limit + 1 ? " (" + length + " bytes)" : ""));
    }
}
