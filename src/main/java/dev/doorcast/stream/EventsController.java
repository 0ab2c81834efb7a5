package dev.doorcast.stream;

import java.io.IOException;

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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The doorbell's events as server-sent events. Written by a {@link StreamingResponseBody} on its own virtual
 * thread, like the camera and audio streams, rather than with Spring's {@code SseEmitter}: an emitter writes
 * on the thread that sends, so one ring sent to every emitter would write every socket in turn from the
 * thread that raised it, and a stuck viewer would hold up the rest; it would also need its own timers for
 * keep-alive and link expiry. Here a ring only wakes the writers, and each writes its own socket. An events
 * stream leaves HTTP after its headers as a camera stream does, and holds what one holds less the frames
 * (docs/performance.md, "Memory per viewer").
 */
@RestController
class EventsController {

    static final String CONTENT_TYPE = "text/event-stream";

    private final Viewers viewers;

    EventsController(Viewers viewers) {
        this.viewers = viewers;
    }

    @Operation(summary = "The doorbell's events as an endless text/event-stream",
            description = "First the doorbell's state (online or offline), then each event as it happens: ring "
                    + "(data: device, ringId, time, and the paths of the ring's snapshot and clip), online, offline. "
                    + "A comment line after each second without an event. Counts against the viewer limits like a "
                    + "stream, and ends when the access link it was opened with expires.",
            responses = @ApiResponse(responseCode = "200", content = @Content(mediaType = CONTENT_TYPE,
                    schema = @Schema(type = "string"))))
    @GetMapping("/api/v1/stream/events")
    @Nullable StreamingResponseBody events(
            @Parameter(name = RequestedDevice.PARAMETER, in = ParameterIn.QUERY, schema = @Schema(type = "string"),
                    description = "the device; the default doorbell when absent") RequestedDevice device,
            @Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) HttpServletResponse response) throws IOException {
        DeviceViewers channel = viewers.of(device.id());
        ViewerRegistry registry = channel.viewers();
        Viewer viewer = registry.join(Viewer.Kind.EVENTS, StreamClaim.of(request));
        return LiveResponse.open(request, response, CONTENT_TYPE, viewer, registry,
                out -> channel.events().stream(viewer, out));
    }
}
