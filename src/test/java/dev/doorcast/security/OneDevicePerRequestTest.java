package dev.doorcast.security;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two doorbells, {@code doorbell} and {@code back}, each with its household's viewer token. The household of
 * {@code doorbell} names {@code back} every way a client could (the query string, a form body, a multipart
 * part, a header) to every endpoint that takes a device, and never reaches back: the authorization and the
 * endpoint read the device from the same place, the query string.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.security.viewer-token=" + OneDevicePerRequestTest.OWNER,
        "doorcast.devices.doorbell.viewer-token=" + OneDevicePerRequestTest.DOORBELL_VIEWER,
        "doorcast.devices.back.token=" + OneDevicePerRequestTest.BACK_DEVICE,
        "doorcast.devices.back.viewer-token=" + OneDevicePerRequestTest.BACK_VIEWER,
        "doorcast.limits.max-device-fps=1000",
        "doorcast.rings.burst=1000",
})
class OneDevicePerRequestTest {

    static final String OWNER = "owner-viewer-token-0123";
    static final String DOORBELL_VIEWER = "doorbell-household-0123";
    static final String BACK_DEVICE = "back-device-token-0123";
    static final String BACK_VIEWER = "back-household-0123456";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BOUNDARY = "device-part-5e1f";
    private static final byte[] DOORBELL_FRAME = TestMedia.jpeg(101);
    private static final byte[] BACK_FRAME = TestMedia.jpeg(202);

    /** How an endpoint's answer shows that it served back: back's picture, back's name, back's numbers. */
    private enum Shows { PICTURE, EVENTS, RINGS, RING, STATS, AUDIO, TALK, LINK }

    private record Endpoint(String method, String path, String query, Shows shows) {
        String target(String device) {
            String all = device == null ? query : query.isEmpty() ? "device=" + device : query + "&device=" + device;
            return path + (all.isEmpty() ? "" : "?" + all);
        }
    }

    /** How the household of doorbell names back. */
    private enum Way { QUERY, FORM, MULTIPART, HEADER }

    private record Answer(int status, Map<String, String> headers, byte[] body) {
        boolean contains(byte[] wanted) {
            return TestMedia.indexOf(body, wanted) >= 0;
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    @LocalServerPort
    int port;

    private long backRing;
    private long backFrameTime;

    @BeforeEach
    void bothDoorbellsSend() {
        Doorbell doorbell = new Doorbell(port);
        assertThat(doorbell.postFrame(DOORBELL_FRAME).statusCode()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(doorbell.postFrame(i == 2 ? BACK_FRAME : TestMedia.jpeg(300 + i),
                    Map.of("frame_id", Long.toString(System.nanoTime())), BACK_DEVICE).statusCode()).isEqualTo(200);
        }
        backRing = Doorbell.ringId(doorbell.ring("", BACK_DEVICE));
        backFrameTime = Long.parseLong(doorbell.get("/api/v1/stream/camera/snapshot?device=back", OWNER)
                .headers().firstValue("X-Timestamp").orElseThrow());
    }

    /** Every endpoint whose controller takes a device (grep the controllers for it). */
    private List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("GET", "/api/v1/stream/camera", "", Shows.PICTURE),
                new Endpoint("GET", "/api/v1/stream/camera/snapshot", "", Shows.PICTURE),
                new Endpoint("GET", "/api/v1/stream/camera/synced", "audioTimestamp=" + backFrameTime, Shows.PICTURE),
                new Endpoint("GET", "/api/v1/stream/audio", "", Shows.AUDIO),
                new Endpoint("GET", "/api/v1/stream/events", "", Shows.EVENTS),
                new Endpoint("GET", "/api/v1/stream/rings", "", Shows.RINGS),
                new Endpoint("GET", "/api/v1/stream/rings/" + backRing + "/snapshot", "", Shows.RING),
                new Endpoint("GET", "/api/v1/stream/rings/" + backRing + "/clip", "", Shows.RING),
                new Endpoint("GET", "/api/v1/stream/stats", "", Shows.STATS),
                new Endpoint("POST", "/api/v1/stream/talk", "", Shows.TALK),
                new Endpoint("POST", "/api/v1/stream/access", "", Shows.LINK));
    }

    @Test
    void theHouseholdOfOneDoorbellNeverReachesTheOtherHoweverItNamesIt() throws Exception {
        List<String> reached = new ArrayList<>();
        List<String> answered = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (Way way : Way.values()) {
                String what = way + " " + endpoint.method() + " " + endpoint.target(null);
                double talkBefore = talkChunks("back");
                try (Exchange exchange = ask(endpoint, way)) {
                    Answer answer = exchange.answer();
                    if (reachedBack(endpoint, answer, talkBefore)) {
                        reached.add(what + " -> " + answer.status());
                    }
                    boolean expected = switch (way) {
                        case QUERY -> answer.status() == 403;
                        // A form or multipart body is refused from the head (400); talk takes PCM only, so a
                        // form is not even routed to it (415).
                        case FORM, MULTIPART -> (answer.status() == 400 || answer.status() == 415)
                                && answer.text().contains("\"success\":false");
                        // The default doorbell's answer: it has no rings, and maybe no frame near back's.
                        case HEADER -> answer.status() == 200 || answer.status() == 404;
                    };
                    if (!expected) {
                        answered.add(what + " -> " + answer.status());
                    }
                }
            }
        }
        assertThat(reached).as("requests of the doorbell's household that reached back").isEmpty();
        assertThat(answered).as("answers other than 403 for the query, 400 for a form, the doorbell's for a header")
                .isEmpty();
    }

    @Test
    void theQueryStringStillPicksTheDeviceForACredentialThatOpensIt() throws Exception {
        Answer snapshot;
        try (Exchange exchange = exchange("GET", "/api/v1/stream/camera/snapshot?device=back", null, null,
                "Authorization: Bearer " + BACK_VIEWER)) {
            snapshot = exchange.answer();
        }
        Answer link;
        try (Exchange exchange = exchange("POST", "/api/v1/stream/access?device=back", null, null,
                "Authorization: Bearer " + OWNER)) {
            link = exchange.answer();
        }

        assertThat(snapshot.status()).isEqualTo(200);
        assertThat(snapshot.body()).isEqualTo(BACK_FRAME);
        assertThat(link.status()).isEqualTo(200);
        assertThat(JSON.readTree(link.body()).path("access").asString()).contains(".back.");
    }

    @Test
    void aDeviceNamedTwiceOrUndecodableIsRefusedNotGuessedAt() throws Exception {
        for (String query : new String[] {"device=back&device=doorbell", "device=%%%"}) {
            try (Exchange exchange = exchange("GET", "/api/v1/stream/stats?" + query, null, null,
                    "Authorization: Bearer " + OWNER)) {
                Answer answer = exchange.answer();
                assertThat(answer.status()).as(query).isEqualTo(400);
                assertThat(answer.text()).as(query).contains("device");
            }
        }
    }

    private boolean reachedBack(Endpoint endpoint, Answer answer, double talkBefore) throws Exception {
        if (answer.status() != 200) {
            return false;
        }
        return switch (endpoint.shows()) {
            case PICTURE -> answer.contains(BACK_FRAME);
            case EVENTS -> answer.text().contains("\"device\":\"back\"");
            case RINGS -> answer.text().contains("device=back");
            case RING -> true; // the doorbell has no rings: any 200 is back's
            case STATS -> JSON.readTree(answer.body()).path("stats").path("bytesReceived").asLong()
                    == bytesReceived("back");
            case AUDIO -> listeners("back") > 0;
            case TALK -> talkChunks("back") > talkBefore;
            case LINK -> JSON.readTree(answer.body()).path("access").asString().contains(".back.");
        };
    }

    private Exchange ask(Endpoint endpoint, Way way) throws IOException {
        String household = "Authorization: Bearer " + DOORBELL_VIEWER;
        byte[] pcm = TestMedia.pcm(1, 2048);
        String talkId = "X-Talk-Id: household-" + System.nanoTime();
        boolean talk = endpoint.shows() == Shows.TALK;
        return switch (way) {
            case QUERY -> exchange(endpoint.method(), endpoint.target("back"), talk ? "application/octet-stream" : null,
                    talk ? pcm : null, household, talkId);
            case FORM -> exchange(endpoint.method(), endpoint.target(null), "application/x-www-form-urlencoded",
                    "device=back".getBytes(StandardCharsets.US_ASCII), household, talkId);
            case MULTIPART -> exchange(endpoint.method(), endpoint.target(null),
                    "multipart/form-data; boundary=" + BOUNDARY, ("--" + BOUNDARY
                            + "\r\nContent-Disposition: form-data; name=\"device\"\r\n\r\nback\r\n--" + BOUNDARY + "--\r\n")
                            .getBytes(StandardCharsets.US_ASCII), household, talkId);
            case HEADER -> exchange(endpoint.method(), endpoint.target(null), talk ? "application/octet-stream" : null,
                    talk ? pcm : null, household, talkId, "Device: back", "X-Device: back");
        };
    }

    /** A request over a plain socket, kept open while its answer is judged (a stream counts only while open). */
    private final class Exchange implements AutoCloseable {

        private final Socket socket;
        private final Answer answer;

        Exchange(String method, String target, String contentType, byte[] body, String... headers) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(3000);
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                socket.getOutputStream().write(body);
            }
            socket.getOutputStream().flush();
            answer = read(new BufferedInputStream(socket.getInputStream()));
        }

        Answer answer() {
            return answer;
        }

        /**
         * The status, the headers and the body: whole when its length is given, else (a stream) what comes
         * until either doorbell's picture or device name has come, or three seconds have passed (an audio
         * stream's silence never names its device).
         */
        private static Answer read(InputStream in) throws IOException {
            String status = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            String length = headers.get("content-length");
            if (length != null) {
                body.writeBytes(in.readNBytes(Integer.parseInt(length)));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                    body.writeBytes(in.readNBytes(size));
                    line(in);
                }
            } else {
                long deadline = System.nanoTime() + 3_000_000_000L;
                try {
                    byte[] chunk = new byte[4096];
                    while (!seenADevice(body.toByteArray()) && System.nanoTime() < deadline) {
                        int read = in.read(chunk);
                        if (read < 0) {
                            break;
                        }
                        body.write(chunk, 0, read);
                    }
                } catch (SocketTimeoutException quiet) {
                    // Nothing more came: what came is the answer.
                }
            }
            return new Answer(Integer.parseInt(status.split(" ")[1]), headers, body.toByteArray());
        }

        private static boolean seenADevice(byte[] body) {
            String text = new String(body, StandardCharsets.ISO_8859_1);
            return TestMedia.indexOf(body, BACK_FRAME) >= 0 || TestMedia.indexOf(body, DOORBELL_FRAME) >= 0
                    || text.contains("\"device\":\"");
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("stream ended");
                }
                line.write(b);
            }
            return line.toString(StandardCharsets.ISO_8859_1).strip();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private Exchange exchange(String method, String target, String contentType, byte[] body, String... headers)
            throws IOException {
        return new Exchange(method, target, contentType, body, headers);
    }

    /** What the device sent, as the owner reads it: back's frames are other pictures than the doorbell's. */
    private long bytesReceived(String device) throws Exception {
        try (Exchange exchange = exchange("GET", "/api/v1/stream/stats?device=" + device, null, null,
                "Authorization: Bearer " + OWNER)) {
            return JSON.readTree(exchange.answer().body()).path("stats").path("bytesReceived").asLong();
        }
    }

    private int listeners(String device) throws Exception {
        try (Exchange exchange = exchange("GET", "/api/v1/devices", null, null, "Authorization: Bearer " + OWNER)) {
            for (JsonNode listed : JSON.readTree(exchange.answer().body()).path("devices")) {
                if (listed.path("id").asString().equals(device)) {
                    return listed.path("listeners").asInt();
                }
            }
        }
        throw new AssertionError("no device " + device);
    }

    /** The owner's whole scrape (the owner's token opens it): what reached a doorbell's speaker. */
    private double talkChunks(String device) throws Exception {
        try (Exchange exchange = exchange("GET", "/actuator/prometheus", null, null, "Authorization: Bearer " + OWNER)) {
            String prefix = "doorcast_talk_chunks_total{device=\"" + device + "\"} ";
            return Arrays.stream(exchange.answer().text().split("\n")).filter(line -> line.startsWith(prefix))
                    .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()))).findFirst().orElseThrow();
        }
    }
}
