package dev.doorcast.stream;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.SseReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How long a ring takes from the doorbell's POST to an open events stream, and a chunk of voice from the
 * viewer's POST to the doorbell's speaker stream, over a few hundred of each on loopback. Each is timed from
 * just before the POST is sent to the moment its event (or its last byte) is read off the stream's socket, on
 * a thread that does nothing else. The figures go to {@code target/latency.txt} (and docs/performance.md).
 */
@LiveServerTest
class RingAndVoiceLatencyTest {

    private static final int COUNT = 300;
    private static final Path REPORT = Path.of("target", "latency.txt");

    @LocalServerPort
    int port;

    @Test
    void aRingReachesAnEventsStreamAndVoiceTheSpeakerWellWithinASecond() throws Exception {
        List<Long> rings = ringLatencies();
        List<Long> voice = voiceLatencies();

        String report = line("ring POST -> events stream", rings) + line("talk POST -> speaker stream", voice);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, report);
        System.out.print(report);
        assertThat(percentile(rings, 99)).as("ring p99, µs").isLessThan(1_000_000);
        assertThat(percentile(voice, 99)).as("voice p99, µs").isLessThan(500_000);
    }

    private List<Long> ringLatencies() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(990));
        Map<Long, Long> arrived = new ConcurrentHashMap<>();
        try (SseReader events = SseReader.open(port, "/api/v1/stream/events", Duration.ofSeconds(10))) {
            events.nextEvent();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                try {
                    while (arrived.size() < COUNT) {
                        SseReader.Event event = events.next("ring");
                        arrived.put(event.json().path("ringId").asLong(), event.arrivedNanos());
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Map<Long, Long> sent = new ConcurrentHashMap<>();
            for (int i = 0; i < COUNT; i++) {
                long start = System.nanoTime();
                HttpResponse<String> ring = doorbell.ring();
                assertThat(ring.statusCode()).as(ring.body()).isEqualTo(200);
                sent.put(Doorbell.ringId(ring), start);
                pause(20);
            }
            reading.get();
            List<Long> micros = new ArrayList<>();
            sent.forEach((id, start) -> micros.add((arrived.get(id) - start) / 1000));
            return micros;
        }
    }

    private List<Long> voiceLatencies() throws Exception {
        Doorbell viewer = new Doorbell(port);
        long[] arrived = new long[COUNT];
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/v1/devices/doorbell/speaker-stream HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + Doorbell.TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> readMarkedChunks(in, arrived));
            await().atMost(Duration.ofSeconds(5)).until(() -> new String(viewer.get("/actuator/prometheus").body())
                    .contains("doorcast_speaker_streams{device=\"doorbell\"} 1.0"));
            // The line must be free of earlier tests' talkers.
            pause(1100);
            String talkId = "latency-" + System.nanoTime();
            long[] sent = new long[COUNT];
            for (int i = 0; i < COUNT; i++) {
                sent[i] = System.nanoTime();
                HttpResponse<String> answer = viewer.talk("", talkId, i, marked(i));
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                pause(20);
            }
            reading.get();
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                micros.add((arrived[i] - sent[i]) / 1000);
            }
            return micros;
        }
    }

    /** 2048 bytes of tone that start with a marker and the chunk's number, which silence and tone never do. */
    private static byte[] marked(int index) {
        byte[] pcm = TestMedia.pcm(index, 2048);
        ByteBuffer.wrap(pcm).put("VOICE#".getBytes(StandardCharsets.US_ASCII)).putInt(index);
        return pcm;
    }

    /** Finds each marked chunk in the stream and notes when its last byte was read. */
    private static void readMarkedChunks(InputStream in, long[] arrived) {
        byte[] marker = "VOICE#".getBytes(StandardCharsets.US_ASCII);
        try {
            int matched = 0;
            int seen = 0;
            while (seen < arrived.length) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("stream ended");
                }
                matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
                if (matched == marker.length) {
                    int index = ByteBuffer.wrap(in.readNBytes(4)).getInt();
                    in.readNBytes(2048 - marker.length - 4);
                    arrived[index] = System.nanoTime();
                    seen++;
                    matched = 0;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // the sender's pace, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String line(String what, List<Long> micros) {
        return String.format(Locale.ROOT, "%-28s n=%d  p50 %.2f ms  p99 %.2f ms  max %.2f ms%n", what, micros.size(),
                percentile(micros, 50) / 1000.0, percentile(micros, 99) / 1000.0, percentile(micros, 100) / 1000.0);
    }
}
