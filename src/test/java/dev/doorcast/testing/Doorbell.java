package dev.doorcast.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A test doorbell: posts frames and audio to a running server over real HTTP, as the firmware does. */
public final class Doorbell {

    public static final String TOKEN = "test-device-token";
    private static final String BOUNDARY = "test-boundary-7d3a";

    private static final AtomicLong FRAME_IDS = new AtomicLong();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    public Doorbell(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
        this.http = HttpClient.newHttpClient();
        this.timeout = null;
    }

    /**
     * A doorbell whose connections come from {@code from} (any 127.x.y.z on loopback), as a device on
     * another network would; each request fails if its answer has not come within {@code timeout}.
     */
    public Doorbell(int port, InetAddress from, Duration timeout) {
        this.base = URI.create("http://127.0.0.1:" + port);
        this.http = HttpClient.newBuilder().localAddress(from).build();
        this.timeout = timeout;
    }

    /**
     * Posts a frame with the usual fields and the right token; returns the response. Frame ids grow across
     * all tests, as a real device's do, so that none is taken for a repeat.
     */
    public HttpResponse<String> postFrame(byte[] jpeg) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("device_id", "test-doorbell");
        fields.put("frame_id", Long.toString(FRAME_IDS.incrementAndGet()));
        fields.put("timestamp", Long.toString(System.currentTimeMillis()));
        return postFrame(jpeg, fields, TOKEN);
    }

    /** Posts a multipart form with {@code jpeg} as the {@code frame} part (none if null) and the fields. */
    public HttpResponse<String> postFrame(byte[] jpeg, Map<String, String> fields, String token) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8)));
        if (jpeg != null) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"frame\"; "
                    + "filename=\"frame.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(jpeg);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(base.resolve("/api/v1/devices/doorbell/camera-stream"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** Posts one audio chunk with its sequence number and the right token. */
    public HttpResponse<String> postAudio(byte[] pcm, long sequence) {
        return send(HttpRequest.newBuilder(base.resolve("/api/v1/devices/doorbell/mic-stream"))
                .header("Content-Type", "application/octet-stream")
                .header("X-Sequence", Long.toString(sequence))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(pcm)));
    }

    /** Rings the doorbell with an empty body and the right token. */
    public HttpResponse<String> ring() {
        return ring("", TOKEN);
    }

    /** Rings with {@code json} as the body (none if empty) and {@code token}. */
    public HttpResponse<String> ring(String json, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/v1/devices/doorbell/ring"))
                .header("Authorization", "Bearer " + token);
        if (!json.isEmpty()) {
            request.header("Content-Type", "application/json");
        }
        return send(request.POST(json.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The {@code ring_id} of a ring's answer. */
    public static long ringId(HttpResponse<String> ring) {
        return JSON.readTree(ring.body()).path("ring_id").asLong();
    }

    /**
     * A viewer says something: posts {@code pcm} to {@code /api/v1/stream/talk} plus {@code query} as
     * {@code talkId}'s chunk number {@code sequence}, with more header lines ({@code "Name: value"}).
     */
    public HttpResponse<String> talk(String query, String talkId, long sequence, byte[] pcm, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/v1/stream/talk" + query))
                .header("Content-Type", "application/octet-stream")
                .header("X-Talk-Id", talkId)
                .header("X-Sequence", Long.toString(sequence));
        for (String header : headers) {
            int colon = header.indexOf(':');
            request.setHeader(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofByteArray(pcm)));
    }

    /** Posts an audio body with no Content-Length (chunked transfer encoding); returns the status. */
    public int postAudioChunked(byte[] pcm) {
        HttpRequest.BodyPublisher unknownLength = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofByteArray(pcm));
        return send(HttpRequest.newBuilder(base.resolve("/api/v1/devices/doorbell/mic-stream"))
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(unknownLength)).statusCode();
    }

    /** The {@code stats} object of {@code GET /api/v1/stream/stats}. */
    public JsonNode stats() {
        HttpResponse<byte[]> response = get("/api/v1/stream/stats");
        return JSON.readTree(response.body()).path("stats");
    }

    /** A GET of {@code path}, body as bytes. */
    public HttpResponse<byte[]> get(String path) {
        return get(path, null);
    }

    /** A GET with {@code Authorization: Bearer <token>}, or without when {@code token} is null. */
    public HttpResponse<byte[]> get(String path, String token) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
            if (timeout != null) {
                request.timeout(timeout);
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A DELETE of {@code path} with {@code Authorization: Bearer <token>}, or without when {@code token} is null. */
    public HttpResponse<String> delete(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).DELETE();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (timeout != null) {
            request.timeout(timeout);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
