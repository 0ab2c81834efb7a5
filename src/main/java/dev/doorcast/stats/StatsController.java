package dev.doorcast.stats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

import dev.doorcast.link.DoorbellLinks;
import dev.doorcast.relay.RelayState;
import dev.doorcast.security.ViewerGrant;
import dev.doorcast.stream.DeviceViewers;
import dev.doorcast.stream.Viewers;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.RequestedDevice;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
class StatsController {

    /**
     * The original API wraps the numbers: {@code {"success": true, "stats": {...}}}. {@code relay} says how
     * this instance shares streams ({@code local}, or {@code UP}/{@code DOWN} for the Redis relay); with
     * the relay, frame and chunk counts are cluster-wide and viewer counts are this instance's.
     */
    record StatsResponse(boolean success, StreamStats stats, String relay) {
    }

    private static final List<MediaType> PROMETHEUS_TYPES = List.of(
            MediaType.parseMediaType("application/openmetrics-text"), MediaType.TEXT_PLAIN);

    private final Viewers viewers;
    private final InstantSource clock;
    private final Duration activeWithin;
    private final PrometheusRegistry prometheus;
    private final RelayState relay;
    private final DoorbellLinks links;
    private final ExpositionFormats formats = ExpositionFormats.init();

    StatsController(Viewers viewers, InstantSource clock, DoorcastProperties properties,
            PrometheusRegistry prometheus, RelayState relay, DoorbellLinks links) {
        this.relay = relay;
        this.links = links;
        this.viewers = viewers;
        this.clock = clock;
        this.activeWithin = properties.presence().offlineAfter();
        this.prometheus = prometheus;
    }

    /**
     * The stats as the original API's JSON, or, for a client that prefers it the way a Prometheus server
     * does, doorcast's meters in the Prometheus text (or OpenMetrics) format, so that a scrape job pointed
     * here works: the series of the devices the credential opens. {@code /actuator/prometheus} has the full set.
     */
    @Operation(summary = "Stream statistics: JSON, or Prometheus text for clients that prefer it",
            responses = @ApiResponse(responseCode = "200", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = StatsResponse.class)),
                    @Content(mediaType = "application/openmetrics-text"),
                    @Content(mediaType = "text/plain")}))
    @GetMapping("/api/v1/stream/stats")
    ResponseEntity<?> stats(@RequestHeader(name = HttpHeaders.ACCEPT, required = false)
            @Parameter(hidden = true) @Nullable String accept,
            @Parameter(name = RequestedDevice.PARAMETER, in = ParameterIn.QUERY, schema = @Schema(type = "string"),
                    description = "the device; the default doorbell when absent (the Prometheus format has every "
                            + "device the credential opens)") RequestedDevice device,
            @Parameter(hidden = true) @Nullable Authentication viewer)
            throws IOException {
        DeviceViewers channel = viewers.of(device.id());
        if (prefersPrometheus(accept)) {
            ExpositionFormatWriter writer = formats.findWriter(accept);
            ByteArrayOutputStream text = new ByteArrayOutputStream(8192);
            writer.write(text, series(ViewerGrant.of(viewer)));
            return ResponseEntity.ok()
                    .header(HttpHeaders.VARY, HttpHeaders.ACCEPT)
                    .header(HttpHeaders.CONTENT_TYPE, writer.getContentType())
                    .body(text.toByteArray());
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new StatsResponse(true, StreamStats.of(channel.channel().buffer().stats(), channel.viewers(),
                        links.state(channel.device()), clock.millis(), activeWithin),
                        relay.state()));
    }

    /**
     * doorcast's series that {@code grant} may read: every device's for the owner's token (and on a server
     * without viewer access), its own device's alone for a household's token or a link. The series of no
     * device (the relay's) are the operator's, in {@code /actuator/prometheus}.
     */
    private MetricSnapshots series(@Nullable ViewerGrant grant) {
        MetricSnapshots all = prometheus.scrape(name -> name.startsWith("doorcast"));
        String device = grant == null ? null : grant.device();
        return device == null ? all : DeviceSeries.of(all, device);
    }

    /**
     * Whether the client ranks a Prometheus format above JSON. Prometheus asks for OpenMetrics, then
     * {@code text/plain;q=0.5}, then {@code *}{@code /*;q=0.1}; browsers and curl rank JSON (through a
     * wildcard) at least as high as any text format, and JSON wins ties.
     */
    static boolean prefersPrometheus(@Nullable String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> types;
        try {
            types = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        double json = 0;
        double text = 0;
        for (MediaType type : types) {
            double quality = type.getQualityValue();
            if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                json = Math.max(json, quality);
            }
            if (!type.isWildcardType() && !type.isWildcardSubtype()
                    && PROMETHEUS_TYPES.stream().anyMatch(p -> p.equalsTypeAndSubtype(type))) {
                text = Math.max(text, quality);
            }
        }
        return text > json;
    }
}
