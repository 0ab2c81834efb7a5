package dev.doorcast.ingest;

import java.io.IOException;
import java.security.Principal;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.doorcast.buffer.AudioChunk;
import dev.doorcast.buffer.Audience;
import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.DoorbellRing;
import dev.doorcast.buffer.Frame;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.DoorcastProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Where the doorbell posts its camera frames, microphone chunks and rings. Only the device token gets here. */
@RestController
@RequestMapping("/api/v1/devices/doorbell")
class DeviceIngestController {

    /** 2100-01-01 in epoch ms: a capture time beyond it is no clock this device can have. */
    private static final long LATEST_TIMESTAMP = 4_102_444_800_000L;
    /** A ring's body is at most a small JSON object. */
    private static final int MAX_RING_BODY = 1024;

    private final DeviceStreams streams;
    private final long maxFrameSize;
    private final PcmIntake pcm;
    private final String ringBound;
    private final Map<String, Intake> intakes = new ConcurrentHashMap<>();
    private final Function<String, Intake> newIntake;

    /** One device's limits and memory of what it sent: devices never throttle or gate each other. */
    private record Intake(RateLimit frameRate, SequenceGate frameIds, PcmIntake.Sender audio, RateLimit rings) {
    }

    DeviceIngestController(DeviceStreams streams, DoorcastProperties properties, InstantSource clock) {
        this.streams = streams;
        this.maxFrameSize = properties.limits().maxFrameSize().toBytes();
        this.pcm = new PcmIntake(Math.toIntExact(properties.limits().maxAudioChunkSize().toBytes()), clock);
        int maxDeviceFps = properties.limits().maxDeviceFps();
        DoorcastProperties.Rings rings = properties.rings();
        double ringsPerSecond = 1000.0 / Math.max(1, rings.refill().toMillis());
        this.ringBound = "a burst of " + rings.burst() + ", then one each " + rings.refill().toMillis() + " ms, "
                + "doorcast.rings.burst and doorcast.rings.refill";
        this.newIntake = device -> new Intake(new RateLimit(maxDeviceFps, clock), new SequenceGate(),
                pcm.sender("The device"), new RateLimit(ringsPerSecond, rings.burst(), clock));
    }

    /** The multipart form a frame comes in, for the OpenAPI description only. */
    record FrameForm(
            @Schema(type = "string", format = "binary", description = "the JPEG") byte[] frame,
            @Schema(description = "the device's own name for itself; kept as information") String device_id,
            @Schema(description = "the device's frame number, echoed back") Long frame_id,
            @Schema(description = "capture time on the device's clock") Long timestamp) {
    }

    @Operation(summary = "Post one camera frame", security = @SecurityRequirement(name = "deviceToken"),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = FrameForm.class))))
    @PostMapping(path = "/camera-stream", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    FrameAccepted cameraFrame(
            @RequestPart("frame") @Parameter(hidden = true) MultipartFile frame,
            @RequestParam(name = "device_id", required = false) @Parameter(hidden = true) @Nullable String deviceId,
            @RequestParam(name = "frame_id", required = false) @Parameter(hidden = true) @Nullable Long frameId,
            @RequestParam(name = "timestamp", required = false) @Parameter(hidden = true) @Nullable Long timestamp,
            @Parameter(hidden = true) Principal device) throws IOException {
        if (frame.getSize() > maxFrameSize) {
            throw ApiException.tooLarge("The frame is larger than the limit of " + maxFrameSize + " bytes");
        }
        requireNotNegative("frame_id", frameId);
        requireNotNegative("timestamp", timestamp);
        requireBefore2100(timestamp);
        byte[] jpeg = frame.getBytes();
        MediaCheck.requireJpeg(jpeg, maxFrameSize);
        // The token said which device this is; the form's device_id is kept, never used to route.
        Intake intake = intakes.computeIfAbsent(device.getName(), newIntake);
        Audience audience = streams.audience(device.getName());
        throttle(intake.frameRate(), 1, "frames", "doorcast.limits.max-device-fps");
        if (!intake.frameIds().admit(frameId)) {
            return new FrameAccepted(true, frameId, jpeg.length, audience.viewers(), false);
        }
        Frame stored = streams.buffer(device.getName()).addFrame(jpeg, deviceId, frameId, timestamp);
        return new FrameAccepted(true, frameId != null ? frameId : stored.sequence(), stored.size(),
                audience.viewers(), true);
    }

    @Operation(summary = "Post one audio chunk: raw 16 kHz 16-bit little-endian mono PCM",
            security = @SecurityRequirement(name = "deviceToken"),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary"))))
    @PostMapping(path = "/mic-stream", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ChunkAccepted micChunk(
            @RequestHeader(name = "X-Sequence", required = false) @Nullable Long sequence,
            @Parameter(hidden = true) HttpServletRequest request, @Parameter(hidden = true) Principal device)
            throws IOException {
        byte[] chunk = pcm.read(request, sequence);
        Intake intake = intakes.computeIfAbsent(device.getName(), newIntake);
        Audience audience = streams.audience(device.getName());
        StreamBuffer buffer = streams.buffer(device.getName());
        intake.audio().throttle(chunk.length);
        if (!intake.audio().admit(sequence)) {
            AudioChunk latest = buffer.latestAudio();
            return new ChunkAccepted(true, latest == null ? 0 : latest.sequence(), sequence, chunk.length,
                    audience.listeners(), false);
        }
        AudioChunk stored = buffer.addAudio(chunk, sequence);
        return new ChunkAccepted(true, stored.sequence(), sequence != null ? sequence : stored.sequence(),
                stored.size(), audience.listeners(), true);
    }

    @Operation(summary = "Someone pressed the button: keep the picture and a short clip, tell every viewer",
            description = "The body is empty, or a JSON object with an optional timestamp (the device's clock, "
                    + "epoch ms, kept as information only). Rings come in a burst of a few, then about one a "
                    + "second; faster is 429 with Retry-After.",
            security = @SecurityRequirement(name = "deviceToken"),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(example = "{\"timestamp\": 1795650743000}"))))
    @PostMapping(path = "/ring", produces = MediaType.APPLICATION_JSON_VALUE)
    RingAccepted ring(@Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) Principal device) throws IOException {
        byte[] body = BoundedBody.read(request.getInputStream(), request.getContentLengthLong(), MAX_RING_BODY,
                "The ring's body");
        Long timestamp = RingBody.timestamp(body);
        requireNotNegative("timestamp", timestamp);
        requireBefore2100(timestamp);
        Intake intake = intakes.computeIfAbsent(device.getName(), newIntake);
        throttle(intake.rings(), 1, "rings", ringBound);
        DoorbellRing ring = streams.buffer(device.getName()).ring(timestamp);
        return new RingAccepted(true, ring.id(), streams.audience(device.getName()).eventStreams());
    }

    private static void throttle(RateLimit limit, double units, String what, String bound) {
        long wait = limit.take(units);
        if (wait > 0) {
            throw ApiException.tooManyRequests("The device sends " + what + " faster than allowed (" + bound
                    + "); try again in " + wait + " s", wait);
        }
    }

    private static void requireBefore2100(@Nullable Long timestamp) {
        if (timestamp != null && timestamp > LATEST_TIMESTAMP) {
            throw ApiException.badRequest("timestamp " + timestamp + " is beyond the year 2100 in milliseconds");
        }
    }

    private static void requireNotNegative(String name, @Nullable Long value) {
        if (value != null && value < 0) {
            throw ApiException.badRequest(name + " must not be negative, was " + value);
        }
    }
}
