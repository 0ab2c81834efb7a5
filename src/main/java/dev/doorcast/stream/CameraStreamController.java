package dev.doorcast.stream;

import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.time.InstantSource;

import dev.doorcast.buffer.Frame;
import dev.doorcast.device.Channel;
import dev.doorcast.device.Channels;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.RequestedDevice;
import dev.doorcast.system.StreamClaim;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
@RequestMapping("/api/v1/stream/camera")
class CameraStreamController {

    private static final double MIN_FPS = 0.1;
    private static final double MAX_FPS = 60;

    private final Channels channels;
    private final Viewers viewers;
    private final Duration syncWindow;
    private final InstantSource clock;

    CameraStreamController(Channels channels, Viewers viewers, DoorcastProperties properties,
            InstantSource clock) {
        this.channels = channels;
        this.viewers = viewers;
        this.syncWindow = properties.buffer().syncWindow();
        this.clock = clock;
    }

    /**
     * The live MJPEG stream.
     *
     * @param fps at most this many frames per second for this viewer (a phone on a bad link, an ESP32
     *     display); every frame when absent
     */
    @Operation(summary = "The live camera as an endless MJPEG stream",
            description = "multipart/x-mixed-replace;boundary=doorcast, close-delimited (Connection: close, never "
                    + "chunked). Each part has Content-Type, Content-Length, X-Timestamp (server arrival, epoch ms) "
                    + "and X-Sequence headers and ends with the next boundary. The newest frame comes at once, then "
                    + "each new one; after 1 s without frames the newest is sent again.",
            responses = {
                    @ApiResponse(responseCode = "200", content = @Content(mediaType = MjpegPart.CONTENT_TYPE,
                            schema = @Schema(type = "string", format = "binary"))),
                    @ApiResponse(responseCode = "503", description = "the server is at its viewer limit",
                            content = @Content(mediaType = "application/problem+json"))})
    @GetMapping
    @Nullable StreamingResponseBody camera(@RequestParam(required = false) @Nullable Double fps,
            @Parameter(name = RequestedDevice.PARAMETER, in = ParameterIn.QUERY, schema = @Schema(type = "string"),
                    description = "the device; the default doorbell when absent") RequestedDevice device,
            @Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) HttpServletResponse response)
            throws IOException {
        if (fps != null && !(fps >= MIN_FPS && fps <= MAX_FPS)) {
            throw ApiException.badRequest("fps must be between " + MIN_FPS + " and " + MAX_FPS + ", was " + fps);
        }
        long minIntervalNanos = fps == null ? 0 : (long) (1e9 / fps);
        DeviceViewers channel = viewers.of(device.id());
        ViewerRegistry registry = channel.viewers();
        Viewer viewer = registry.join(Viewer.Kind.VIDEO, StreamClaim.of(request));
        return LiveResponse.open(request, response, MjpegPart.CONTENT_TYPE, viewer, registry,
                out -> channel.mjpeg().stream(viewer, out, minIntervalNanos));
    }

    @Operation(summary = "The newest frame, byte for byte as the doorbell sent it",
            description = "With an ETag and Last-Modified; a cache may keep it about a second (shared caches only "
                    + "where viewers need no credential).", responses = {
            @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.IMAGE_JPEG_VALUE,
                    schema = @Schema(type = "string", format = "binary"))),
            @ApiResponse(responseCode = "304", description = "If-None-Match names the newest frame still"),
            @ApiResponse(responseCode = "404", description = "no frame yet",
                    content = @Content(mediaType = "application/problem+json"))})
    @GetMapping("/snapshot")
    ResponseEntity<byte[]> snapshot(@Parameter(name = RequestedDevice.PARAMETER, in = ParameterIn.QUERY,
            schema = @Schema(type = "string"), description = "the device; the default doorbell when absent")
            RequestedDevice device, @Parameter(hidden = true) @Nullable Principal credential) {
        Channel channel = channels.get(device.id());
        Frame frame = channel.buffer().latestFrame();
        if (frame == null) {
            throw ApiException.notFound("No frame yet", "The doorbell has not sent a frame since the server started");
        }
        return PictureCaching.live(channel.device(), frame, credential);
    }

    @Operation(summary = "The buffered frame nearest in time to an audio timestamp, within the sync window",
            description = "As the snapshot; once no frame still to come could be nearer, the answer is settled and "
                    + "may be kept a day (immutable).",
            responses = {
                    @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.IMAGE_JPEG_VALUE,
                            schema = @Schema(type = "string", format = "binary"))),
                    @ApiResponse(responseCode = "304", description = "If-None-Match names the same frame"),
                    @ApiResponse(responseCode = "404", description = "no frame within the window",
                            content = @Content(mediaType = "application/problem+json"))})
    @GetMapping("/synced")
    ResponseEntity<byte[]> synced(@RequestParam long audioTimestamp,
            @Parameter(name = RequestedDevice.PARAMETER, in = ParameterIn.QUERY, schema = @Schema(type = "string"),
                    description = "the device; the default doorbell when absent") RequestedDevice device,
            @Parameter(hidden = true) @Nullable Principal credential) {
        Channel channel = channels.get(device.id());
        Frame frame = channel.buffer().frameNearest(audioTimestamp, syncWindow)
                .orElseThrow(() -> ApiException.notFound("No frame in the sync window",
                        "No buffered frame arrived within " + syncWindow.toMillis() + " ms of " + audioTimestamp));
        // Frames arrive in time order: once more time has passed since audioTimestamp than lies between it
        // and the chosen frame, no frame still to come can be nearer, and the answer is this frame for good.
        boolean settled = clock.millis() - audioTimestamp > Math.abs(frame.receivedAt() - audioTimestamp);
        return settled ? PictureCaching.settled(channel.device(), frame, credential)
                : PictureCaching.live(channel.device(), frame, credential);
    }
}
