package dev.doorcast.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Locale;

import dev.doorcast.ingest.DeviceIntake;
import dev.doorcast.speaker.Speakers;
import dev.doorcast.stream.Viewers;
import dev.doorcast.system.ApiException;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.tomcat.HandedOverConnection;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.RequestFacade;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where a doorbell opens its link: the WebSocket handshake (RFC 6455, section 4.2). Only the device token gets
 * here: Spring Security has judged it before this runs, so a stranger's upgrade ends in a 401 having cost its
 * request head and nothing more. The token decides the device, as on the POSTs.
 */
@RestController
class LinkController {

    /** RFC 6455's fixed key suffix for Sec-WebSocket-Accept. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final DeviceIntake intake;
    private final Viewers viewers;
    private final Speakers speakers;
    private final DoorbellLinks links;
    private final LinkPollers pollers;
    private final DoorcastProperties.Link settings;
    private final InstantSource clock;

    LinkController(DeviceIntake intake, Viewers viewers, Speakers speakers, DoorbellLinks links,
            LinkPollers pollers, DoorcastProperties properties, InstantSource clock) {
        this.intake = intake;
        this.viewers = viewers;
        this.speakers = speakers;
        this.links = links;
        this.pollers = pollers;
        this.settings = properties.link();
        this.clock = clock;
    }

    @Operation(summary = "The doorbell's link: one WebSocket for its frames, audio and rings, and its speaker",
            description = "Binary messages both ways are [type: 1 byte][id: 8 bytes BE][timestamp: 8 bytes BE, epoch "
                    + "ms, 0 if unknown][payload]: 0x01 frame, 0x02 audio, 0x03 ring up; 0x11 speaker audio down. "
                    + "Text messages are JSON with a type: watching and refused from the server. docs/api.md has "
                    + "the whole format.",
            security = @SecurityRequirement(name = "deviceToken"),
            responses = {
                    @ApiResponse(responseCode = "101", description = "the link is open"),
                    @ApiResponse(responseCode = "400", description = "not a WebSocket handshake"),
                    @ApiResponse(responseCode = "426", description = "another WebSocket version than 13")})
    @GetMapping("/api/v1/devices/doorbell/link")
    void link(@Parameter(hidden = true) Principal device, @Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) HttpServletResponse response) throws IOException, ServletException {
        if (!hasToken(request.getHeader(HttpHeaders.UPGRADE), "websocket")
                || !hasToken(request.getHeader(HttpHeaders.CONNECTION), "upgrade")) {
            response.setHeader(HttpHeaders.UPGRADE, "websocket");
            throw new ApiException(HttpStatus.UPGRADE_REQUIRED, "WebSocket only",
                    "This is the doorbell's link: open it with Upgrade: websocket and Connection: Upgrade");
        }
        if (!"13".equals(request.getHeader("Sec-WebSocket-Version"))) {
            response.setHeader("Sec-WebSocket-Version", "13");
            throw new ApiException(HttpStatus.UPGRADE_REQUIRED, "WebSocket version 13 only",
                    "Sec-WebSocket-Version must be 13, was " + request.getHeader("Sec-WebSocket-Version"));
        }
        @Nullable String key = request.getHeader("Sec-WebSocket-Key");
        if (key == null || !isKey(key)) {
            throw ApiException.badRequest("Sec-WebSocket-Key must be 16 bytes in base64");
        }
        RequestFacade tomcat = HandedOverConnection.tomcat(request);
        if (tomcat == null) {
            throw new ApiException(HttpStatus.NOT_IMPLEMENTED, "No link here",
                    "This server's web container cannot hand over a connection; post to the device endpoints");
        }
        String id = device.getName();
        DoorbellLink link = new DoorbellLink(id, intake, viewers.of(id), speakers.of(id), links,
                settings.pingEvery(), settings.silence(), clock.millis());
        response.setHeader(HttpHeaders.UPGRADE, "websocket");
        response.setHeader(HttpHeaders.CONNECTION, "Upgrade");
        response.setHeader("Sec-WebSocket-Accept", accept(key));
        tomcat.upgrade(LinkConnection.class).link(link, pollers);
    }

    /** Sec-WebSocket-Accept for a client's key. */
    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    private static boolean isKey(String key) {
        try {
            return Base64.getDecoder().decode(key.strip()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether a comma-separated header holds {@code token}, in any case. */
    private static boolean hasToken(@Nullable String header, String token) {
        if (header == null) {
            return false;
        }
        for (String part : header.split(",")) {
            if (part.strip().toLowerCase(Locale.ROOT).equals(token)) {
                return true;
            }
        }
        return false;
    }
}
