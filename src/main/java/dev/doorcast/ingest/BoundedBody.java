package dev.doorcast.ingest;

import java.io.IOException;
import java.io.InputStream;

import dev.doorcast.system.ApiException;

/** Reads a request body into memory, refusing it as soon as it passes the limit rather than after. */
final class BoundedBody {

    private BoundedBody() {
    }

    static byte[] read(InputStream in, long declaredLength, int limit) throws IOException {
        if (declaredLength > limit) {
            throw tooLarge(declaredLength, limit);
        }
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw tooLarge(bytes.length, limit);
        }
        return bytes;
    }

    private static ApiException tooLarge(long length, int limit) {
        return ApiException.tooLarge("The audio chunk is larger than the limit of " + limit + " bytes"
                + (length > limit + 1 ? " (" + length + " bytes)" : ""));
    }
}
