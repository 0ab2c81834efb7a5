package dev.doorcast.ingest;

import dev.doorcast.system.ApiException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A ring's body: nothing at all, or a JSON object with an optional {@code timestamp} (device ms). */
final class RingBody {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RingBody() {
    }

    /**
     * The {@code timestamp} in the body, or null when there is none.
     *
     * @throws ApiException 400 for anything but an empty body or a JSON object whose timestamp, if any, is a
     *     whole number
     */
    static @Nullable Long timestamp(byte[] body) {
        if (new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("The body is not JSON: send nothing, or {\"timestamp\": <device ms>}");
        }
        if (json == null || !json.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object: {\"timestamp\": <device ms>}");
        }
        JsonNode timestamp = json.get("timestamp");
        if (timestamp == null || timestamp.isNull()) {
            return null;
        }
        if (!timestamp.isIntegralNumber() || !timestamp.canConvertToLong()) {
            throw ApiException.badRequest("timestamp must be a whole number of milliseconds, was " + timestamp);
        }
        return timestamp.asLong();
    }
}
