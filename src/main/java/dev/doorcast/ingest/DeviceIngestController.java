package dev.doorcast.ingest;

import java.io.IOException;
import java.security.Principal;

import dev.doorcast.system.ApiException;
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

    /** A ring's body is at most a small JSON object. */
    private static final int MAX_RING_BODY = 1024;

    private final DeviceIntake intake;

    DeviceIngestController(DeviceIntake intake) {
        this.intake = intake;
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
        if (frame.getSize() > intake.maxFrameSize()) {
            throw ApiException.tooLarge("The frame is larger than the limit of " + intake.maxFrameSize() + " bytes");
        }
        // The token said which device this is; the form's device_id is kept, never used to route.
        DeviceIntake.FrameTaken taken = intake.frame(device.getName(), frame.getBytes(), deviceId, frameId, timestamp);
        return new FrameAccepted(true, taken.frameId(), taken.size(), taken.viewers(), taken.stored());
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
        // Before the body is read: a bad number costs nothing more.
        PcmIntake.requireSequence(sequence);
        byte[] chunk = BoundedBody.read(request.getInputStream(), request.getContentLengthLong(),
                intake.maxChunkSize(), "The audio chunk");
        DeviceIntake.ChunkTaken taken = intake.audio(device.getName(), chunk, sequence);
        return new ChunkAccepted(true, taken.chunkId(), taken.sequence(), taken.size(), taken.listeners(),
                taken.stored());
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
        DeviceIntake.RingTaken ring = intake.ring(device.getName(), RingBody.timestamp(body));
        return new RingAccepted(true, ring.ringId(), ring.viewers());
    }
}
