package dev.doorcast.demo;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A doorbell in the same process, for local runs: it posts moving JPEG frames and a chime over HTTP to
 * the device endpoints with the device token, and rings every minute or so, exactly as the ESP32-CAM does,
 * so everything from parsing to fan-out runs as in production.
 */
public final class SimulatedDoorbell implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatedDoorbell.class);
    /** 1024 samples: the 64 ms chunk the ESP32 sends. */
    static final int CHUNK_BYTES = 2048;
    private static final long CHUNK_MICROS = 64_000;
    private static final String BOUNDARY = "doorcast-demo-boundary";
    /** The first ring comes once the frame buffer holds a few seconds of frames for its clip. */
    private static final long FIRST_RING_MILLIS = 5000;

    private final URI cameraUri;
    private final URI micUri;
    private final URI ringUri;
    private final String token;
    private final int fps;
    private final Duration ringEvery;
    private final DemoFrames frames = new DemoFrames(320, 240, 0.9f);
    private final DemoTone tone = new DemoTone();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(3,
            Thread.ofPlatform().name("doorcast-demo-", 0).daemon().factory());
    private long frameNumber;
    private long chunkNumber;
    private volatile boolean failing;
    private volatile boolean closed;

    /**
     * @param ringEvery how often it rings, the first time a few seconds after it starts (so that a newcomer
     *     sees a ring soon after opening the page); zero for never
     */
    public SimulatedDoorbell(URI baseUri, String token, int fps, Duration ringEvery) {
        this.cameraUri = baseUri.resolve("/api/v1/devices/doorbell/camera-stream");
        this.micUri = baseUri.resolve("/api/v1/devices/doorbell/mic-stream");
        this.ringUri = baseUri.resolve("/api/v1/devices/doorbell/ring");
        this.token = token;
        this.fps = fps;
        this.ringEvery = ringEvery;
    }

    public void start() {
        timer.scheduleAtFixedRate(this::postFrame, 0, 1_000_000 / fps, TimeUnit.MICROSECONDS);
        timer.scheduleAtFixedRate(this::postChunk, 0, CHUNK_MICROS, TimeUnit.MICROSECONDS);
        if (ringEvery.isPositive()) {
            long every = ringEvery.toMillis();
            timer.scheduleAtFixedRate(this::ring, Math.min(FIRST_RING_MILLIS, every), every, TimeUnit.MILLISECONDS);
        }
        log.info("Simulated doorbell posting {} fps and 16 kHz audio to {}{}", fps, cameraUri.resolve("/"),
                ringEvery.isPositive() ? ", ringing every " + ringEvery.toSeconds() + " s" : "");
    }

    private void ring() {
        send(HttpRequest.newBuilder(ringUri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"timestamp\": " + System.currentTimeMillis() + "}")));
    }

    private void postFrame() {
        long n = frameNumber++;
        byte[] jpeg = frames.render(n, LocalTime.now());
        ByteArrayOutputStream body = new ByteArrayOutputStream(jpeg.length + 512);
        field(body, "device_id", "simulated-doorbell");
        field(body, "frame_id", Long.toString(n));
        field(body, "timestamp", Long.toString(System.currentTimeMillis()));
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"frame\"; filename=\"frame.jpg\""
                + "\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(jpeg);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        send(HttpRequest.newBuilder(cameraUri)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private void postChunk() {
        send(HttpRequest.newBuilder(micUri)
                .header("Content-Type", "application/octet-stream")
                .header("X-Sequence", Long.toString(chunkNumber++))
                .POST(HttpRequest.BodyPublishers.ofByteArray(tone.next(CHUNK_BYTES))));
    }

    private static void field(ByteArrayOutputStream body, String name, String value) {
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
                + value + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request
                    .header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 && !failing && !closed) {
                log.warn("Simulated doorbell got {}: {}", response.statusCode(), response.body());
            }
            failing = response.statusCode() != 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // A scheduled task that throws is never run again; log once and keep trying. A post that
            // close() cut short is no failure.
            if (!failing && !closed) {
                log.warn("Simulated doorbell could not post: {}", e.toString());
            }
            failing = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        http.close();
    }
}
