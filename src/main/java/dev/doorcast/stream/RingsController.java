package dev.doorcast.stream;

import java.io.IOException;
import java.security.Principal;
import java.util.List;

import dev.doorcast.buffer.DoorbellRing;
import dev.doorcast.buffer.Frame;
import dev.doorcast.device.Channel;
import dev.doorcast.device.Channels;
import dev.doorcast.events.RingLinks;
import dev.doorcast.history.RingHistory;
import dev.doorcast.system.ApiException;
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
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The doorbell's rings: the list, each ring's picture of who rang, and its short clip, from the buffer's
 * last few while it has them, else from the store; and deleting one.
 */
@RestController
@RequestMapping("/api/v1/stream/rings")
class RingsController {

    /**
     * One ring as the list gives it. {@code snapshot} and {@code clip} are paths to fetch (with the viewer's
     * credential); null once it is clear there is no picture.
     */
    record RingSummary(long ringId, long time, @Nullable String snapshot, @Nullable String clip) {
    }

    record RingsResponse(boolean success, List<RingSummary> rings) {
    }

    private final Channels channels;
    private final Viewers viewers;
    private final RingHistory history;

    RingsController(Channels channels, Viewers viewers, RingHistory history) {
        this.channels = channels;
        this.viewers = viewers;
        this.history = history;
    }

    @Operation(summary = "The doorbell's rings, newest first (at most 100), with the paths of their pictures and clips")
    @GetMapping
    RingsResponse rings(@Parameter(name = RequestedDevice.PARAMETER, in = ParameterIn.QUERY,
            schema = @Schema(type = "string"), description = "the device; the default doorbell when absent")
            RequestedDevice device) {
        String id = channels.get(device.id()).device();
        return new RingsResponse(true, history.list(id).stream().map(ring -> new RingSummary(ring.id(), ring.time(),
                ring.picture() ? RingLinks.snapshot(id, ring.id()) : null,
                ring.picture() ? RingLinks.clip(id, ring.id()) : null)).toList());
    }

    @Operation(summary = "Deletes a ring, its picture and clip: from memory here and on the other instances, and from the store",
            description = "For the owner's viewer token or the device's household token; an access link cannot.",
            responses = {
                    @ApiResponse(responseCode = "204", description = "deleted"),
                    @ApiResponse(responseCode = "404", description = "no such ring of this device",
                            content = @Content(mediaType = "application/problem+json")),
                    @ApiResponse(responseCode = "503", description = "the store does not answer; try again",
                            content = @Content(mediaType = "application/problem+json"))})
    @DeleteMapping("/{ringId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable long ringId,
            @Parameter(name = RequestedDevice.PARAMETER, in = ParameterIn.QUERY, schema = @Schema(type = "string"),
                    description = "the device; the default doorbell when absent") RequestedDevice device) {
        history.delete(channels.get(device.id()).device(), ringId);
    }

    @Operation(summary = "The picture of who rang: the newest frame when the ring came", responses = {
            @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.IMAGE_JPEG_VALUE,
                    schema = @Schema(type = "string", format = "binary"))),
            @ApiResponse(responseCode = "404", description = "no such ring (any more), or no picture of it",
                    content = @Content(mediaType = "application/problem+json"))})
    @GetMapping("/{ringId}/snapshot")
    ResponseEntity<byte[]> snapshot(@PathVariable long ringId,
            @Parameter(name = RequestedDevice.PARAMETER, in = ParameterIn.QUERY, schema = @Schema(type = "string"),
                    description = "the device; the default doorbell when absent") RequestedDevice device,
            @Parameter(hidden = true) @Nullable Principal credential) throws InterruptedException {
        String id = channels.get(device.id()).device();
        DoorbellRing ring = channels.get(id).rings().get(ringId);
        Frame frame = ring != null ? ring.awaitSnapshot() : null;
        if (frame == null) {
            // Not in memory (any more): the store's, if it has one.
            frame = history.storedSnapshot(id, ringId);
        }
        if (frame == null && ring == null) {
            throw noSuchRing(ringId);
        }
        if (frame == null) {
            throw ApiException.notFound("No picture", "The doorbell sent no frame around ring " + ringId);
        }
        return PictureCaching.ring(id, ringId, frame, credential);
    }

    @Operation(summary = "The ring's clip as a finite MJPEG stream, at the pace it was recorded",
            description = "multipart/x-mixed-replace;boundary=doorcast with parts like the live stream's, from a few "
                    + "seconds before the ring to a few after, ending with the closing boundary. A finished clip comes "
                    + "with its Content-Length; one still being recorded plays as its frames arrive, close-delimited. "
                    + "Counts against the viewer limits while it plays.",
            responses = {
                    @ApiResponse(responseCode = "200", content = @Content(mediaType = MjpegPart.CONTENT_TYPE,
                            schema = @Schema(type = "string", format = "binary"))),
                    @ApiResponse(responseCode = "404", description = "no such ring (any more), or no clip of it",
                            content = @Content(mediaType = "application/problem+json"))})
    @GetMapping("/{ringId}/clip")
    @Nullable StreamingResponseBody clip(@PathVariable long ringId,
            @Parameter(name = RequestedDevice.PARAMETER, in = ParameterIn.QUERY, schema = @Schema(type = "string"),
                    description = "the device; the default doorbell when absent") RequestedDevice device,
            @Parameter(hidden = true) @Nullable Principal credential,
            @Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) HttpServletResponse response) throws IOException {
        Channel channel = channels.get(device.id());
        DoorbellRing ring = channel.rings().get(ringId);
        // Not in memory (any more), or let go of: the store's, if it has it.
        boolean fromStore = ring == null || ring.clip().isEmpty() && !ring.recording();
        if (fromStore) {
            Integer stored = history.storedClipFrames(channel.device(), ringId);
            if (stored == null && ring == null) {
                throw noSuchRing(ringId);
            }
            if (stored == null || stored == 0) {
                throw ApiException.notFound("No clip", "The doorbell sent no frame around ring " + ringId);
            }
        }
        boolean finished = fromStore || !ring.recording();
        if (finished) {
            // Fixed from here on: a cache may keep it, and one that has it gets a 304, not a viewer's place.
            response.setHeader(HttpHeaders.CACHE_CONTROL, PictureCaching.settled(credential).getHeaderValue());
            if (new ServletWebRequest(request, response).checkNotModified(
                    PictureCaching.clipEtag(channel.device(), ringId))) {
                return null;
            }
        }
        DeviceViewers clipViewers = viewers.of(channel.device());
        ViewerRegistry registry = clipViewers.viewers();
        Viewer viewer = registry.join(Viewer.Kind.CLIP, StreamClaim.of(request));
        // A clip still recording is sent as its frames come, close-delimited; a finished one with its length.
        // A stored clip is read only now, with the viewer's place taken: the viewer limits bound how many
        // are held in memory at once.
        ClipWriter.Frames frames;
        if (finished) {
            List<Frame> recorded;
            try {
                recorded = fromStore ? history.storedClip(channel.device(), ringId) : ring.clip();
            } catch (RuntimeException e) {
                registry.leave(viewer);
                throw e;
            }
            frames = ClipWriter.of(recorded);
            response.setContentLengthLong(ClipWriter.length(recorded));
        } else {
            frames = ring::awaitFrame;
        }
        ClipWriter.Frames clip = frames;
        return LiveResponse.open(request, response, MjpegPart.CONTENT_TYPE, viewer, registry, out -> {
            try {
                clipViewers.clips().stream(viewer, out, clip);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static ApiException noSuchRing(long ringId) {
        return ApiException.notFound("No such ring", "No ring " + ringId + " is kept: it was deleted, has expired "
                + "(doorcast.rings.keep-for) or never was");
    }
}
