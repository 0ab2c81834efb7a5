package dev.doorcast.stats;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

import dev.doorcast.buffer.BufferStats;
import dev.doorcast.relay.RelayState;
import dev.doorcast.security.ViewerGrant;
import dev.doorcast.stream.DeviceViewers;
import dev.doorcast.stream.Viewers;
import dev.doorcast.system.DoorcastProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class DevicesController {

    /**
     * One device as viewers choose it: {@code id} goes into {@code ?device=}, {@code name} is what the page
     * calls it ({@code doorcast.devices.<id>.name}). With the Redis relay,
     * {@code framesReceived} counts the device's frames from every instance; {@code viewers} and
     * {@code listeners} are this instance's.
     */
    record DeviceSummary(String id, String name, boolean online, int viewers, int listeners, long framesReceived,
            @Nullable Long lastFrameTime) {
    }

    record DevicesResponse(boolean success, List<DeviceSummary> devices, String relay) {
    }

    /**
     * What a picture-only link ({@code scope=camera}) is told: its device's id and name, which the page shows.
     * Whether anyone else watches or listens, whether the doorbell is online and how much it sent are more than
     * the picture, and a link handed to a visitor must not tell them.
     */
    record DeviceName(String id, String name) {
    }

    record DeviceNames(boolean success, List<DeviceName> devices) {
    }

    private final Viewers viewers;
    private final InstantSource clock;
    private final Duration offlineAfter;
    private final DoorcastProperties properties;
    private final RelayState relay;

    DevicesController(Viewers viewers, InstantSource clock, DoorcastProperties properties, RelayState relay) {
        this.viewers = viewers;
        this.clock = clock;
        this.offlineAfter = properties.presence().offlineAfter();
        this.properties = properties;
        this.relay = relay;
    }

    @Operation(summary = "The configured devices that the credential opens, the default first, with their state "
            + "and audience here (to a picture-only link: its device's id and name alone)",
            responses = @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(oneOf = {DevicesResponse.class, DeviceNames.class}))))
    @GetMapping("/api/v1/devices")
    Object devices(@Parameter(hidden = true) @Nullable Authentication viewer) {
        long now = clock.millis();
        ViewerGrant grant = ViewerGrant.of(viewer);
        // A device's own viewer token or link lists that device alone: the others are not its business.
        List<DeviceViewers> opened = viewers.all().stream()
                .filter(channel -> grant == null || grant.opens(channel.device(), ViewerGrant.Scope.CAMERA))
                .toList();
        if (grant != null && grant.scope() == ViewerGrant.Scope.CAMERA) {
            return new DeviceNames(true, opened.stream()
                    .map(channel -> new DeviceName(channel.device(), properties.deviceName(channel.device()))).toList());
        }
        return new DevicesResponse(true, opened.stream().map(channel -> summary(channel, now)).toList(), relay.state());
    }

    private DeviceSummary summary(DeviceViewers channel, long now) {
        BufferStats stats = channel.channel().buffer().stats();
        Long last = stats.lastFrameTime();
        String id = channel.device();
        return new DeviceSummary(id, properties.deviceName(id), last != null && now - last <= offlineAfter.toMillis(),
                channel.viewers().viewers(), channel.viewers().listeners(), stats.framesReceived(), last);
    }
}
