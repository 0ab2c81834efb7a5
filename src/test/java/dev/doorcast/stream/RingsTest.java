package dev.doorcast.stream;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.doorcast.history.RingHistory;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.SseReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rings over real HTTP: the events stream, the list, each ring's picture and its clip. */
@LiveServerTest
class RingsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @TempDir
    Path dir;

    private SseReader events() throws IOException {
        SseReader reader = SseReader.open(port, "/api/v1/stream/events", Duration.ofSeconds(8));
        assertThat(reader.status()).isEqualTo(200);
        return reader;
    }

    @Test
    void eventsStreamSendsItsHeadersAtOnceThenTheDoorbellsState() throws Exception {
        new Doorbell(port).postFrame(TestMedia.jpeg(890));
        try (SseReader events = events()) {
            assertThat(events.headers())
                    .containsEntry("content-type", "text/event-stream")
                    .containsEntry("connection", "close")
                    .containsEntry("x-accel-buffering", "no")
                    .doesNotContainKey("transfer-encoding");
            SseReader.Event state = events.nextEvent();

            assertThat(state.type()).isEqualTo("online");
            assertThat(state.json().path("device").asString()).isEqualTo("doorbell");
            assertThat(events.next().comment()).as("a comment when nothing happens for a second").isTrue();
        }
    }

    @Test
    void aRingReachesEveryOpenEventsStreamWithinASecondWithThePictureOfWhoRang() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        byte[] who = TestMedia.jpeg(901);
        doorbell.postFrame(TestMedia.jpeg(900));
        doorbell.postFrame(who);
        try (SseReader first = events(); SseReader second = events()) {
            first.nextEvent();
            second.nextEvent();
            long sent = System.nanoTime();
            HttpResponse<String> ring = doorbell.ring("{\"timestamp\": 1795650743000}", Doorbell.TOKEN);

            assertThat(ring.statusCode()).isEqualTo(200);
            JsonNode answer = JSON.readTree(ring.body());
            assertThat(answer.path("success").asBoolean()).isTrue();
            assertThat(answer.path("viewers").asInt()).as("both streams told").isGreaterThanOrEqualTo(2);
            long ringId = answer.path("ring_id").asLong();
            for (SseReader events : List.of(first, second)) {
                SseReader.Event event = events.next("ring");
                assertThat(Duration.ofNanos(event.arrivedNanos() - sent)).isLessThan(Duration.ofSeconds(1));
                JsonNode data = event.json();
                assertThat(data.path("device").asString()).isEqualTo("doorbell");
                assertThat(data.path("ringId").asLong()).isEqualTo(ringId);
                assertThat(data.path("time").asLong()).isCloseTo(System.currentTimeMillis(),
                        org.assertj.core.data.Offset.offset(5000L));
                assertThat(data.path("snapshot").asString())
                        .isEqualTo("/api/v1/stream/rings/" + ringId + "/snapshot?device=doorbell");
                assertThat(data.path("clip").asString())
                        .isEqualTo("/api/v1/stream/rings/" + ringId + "/clip?device=doorbell");
            }
            HttpResponse<byte[]> snapshot = doorbell.get("/api/v1/stream/rings/" + ringId + "/snapshot");
            assertThat(snapshot.statusCode()).isEqualTo(200);
            assertThat(snapshot.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(snapshot.body()).as("the newest frame when the ring came").isEqualTo(who);
        }
    }

    @Test
    void theListHasTheLastRingsNewestFirst() {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(910));
        long older = Doorbell.ringId(doorbell.ring());
        long newer = Doorbell.ringId(doorbell.ring());

        JsonNode list = JSON.readTree(doorbell.get("/api/v1/stream/rings").body());

        assertThat(list.path("success").asBoolean()).isTrue();
        JsonNode rings = list.path("rings");
        assertThat(rings.get(0).path("ringId").asLong()).isEqualTo(newer);
        assertThat(rings.get(1).path("ringId").asLong()).isEqualTo(older);
        assertThat(rings.size()).as("memory's last few and the store's newest").isLessThanOrEqualTo(RingHistory.LIST_LIMIT);
        assertThat(rings.get(0).path("time").asLong()).isGreaterThanOrEqualTo(rings.get(1).path("time").asLong());
        assertThat(rings.get(0).path("snapshot").asString()).endsWith("/rings/" + newer + "/snapshot?device=doorbell");
        assertThat(rings.get(0).path("clip").asString()).endsWith("/rings/" + newer + "/clip?device=doorbell");
    }

    @Test
    void aClipIsAFiniteMjpegFromBeforeTheRingToAfterItAtTheDoorbellsPace() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        List<byte[]> sent = new ArrayList<>();
        long ringId = 0;
        for (int i = 0; i < 10; i++) {
            byte[] jpeg = TestMedia.jpeg(920 + i);
            sent.add(jpeg);
            doorbell.postFrame(jpeg);
            if (i == 4) {
                ringId = Doorbell.ringId(doorbell.ring());
            }
            Thread.sleep(200); // the doorbell's own pace, which the clip keeps
        }
        String clip = "/api/v1/stream/rings/" + ringId + "/clip";
        long id = ringId;
        long rangAt = JSON.readTree(doorbell.get("/api/v1/stream/rings").body()).path("rings").valueStream()
                .filter(r -> r.path("ringId").asLong() == id).findFirst().orElseThrow().path("time").asLong();
        // Once the clip has stopped recording (3 s after the ring), it plays at once and at its own pace.
        await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > rangAt + 3100);

        long start = System.nanoTime();
        List<byte[]> played = new ArrayList<>();
        try (MjpegReader reader = MjpegReader.open(port, clip, Duration.ofSeconds(5))) {
            assertThat(reader.status()).isEqualTo(200);
            assertThat(reader.headers()).containsEntry("content-type", "multipart/x-mixed-replace;boundary=doorcast")
                    .doesNotContainKey("transfer-encoding");
            reader.readOpeningBoundary();
            while (!reader.ended()) {
                MjpegReader.Part part = reader.nextPart();
                assertThat(part.headers()).containsEntry("content-type", "image/jpeg");
                played.add(part.body());
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // Frames an earlier test posted within the 3 s before the ring may open the clip.
        assertThat(played).as("the frames of the 3 s before the ring and after it, in order")
                .endsWith(sent.toArray(byte[][]::new));
        assertThat(took).as("ten frames 200 ms apart play in about 1.8 s")
                .isBetween(Duration.ofMillis(1400), Duration.ofMillis(4000));
        HttpResponse<byte[]> whole = doorbell.get(clip);
        assertThat(whole.headers().firstValueAsLong("Content-Length")).as("a finished clip says how long it is")
                .hasValue(whole.body().length);
        assertThat(new String(whole.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).endsWith("\r\n--doorcast--");
    }

    @Test
    void ffmpegPlaysAClipToItsEnd() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(TestMedia.jpeg(940 + i));
            doorbell.postFrame(sent.getLast());
        }
        long ringId = Doorbell.ringId(doorbell.ring());
        for (int i = 4; i < 8; i++) {
            sent.add(TestMedia.jpeg(940 + i));
            doorbell.postFrame(sent.getLast());
        }

        // Read while the clip is still recording: ffmpeg gets the frames as they come and stops at the end.
        Path live = dir.resolve("live");
        assertThat(ffmpeg(ringId, live)).as("exit code").isZero();
        assertThat(framesWritten(live)).endsWith(sent.toArray(byte[][]::new));

        // Once recorded, the clip comes with its length, and ffmpeg has nothing to say about its end.
        Path recorded = dir.resolve("recorded");
        await().pollDelay(Duration.ofMillis(3100)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(ffmpeg(ringId, recorded)).as("exit code").isZero();
        assertThat(Files.readString(recorded.resolve("ffmpeg.log"))).as("ffmpeg's complaints").isEmpty();
        assertThat(framesWritten(recorded)).endsWith(sent.toArray(byte[][]::new));
    }

    /** Runs ffmpeg on a ring's clip, writing each JPEG as it is, and its log, into {@code out}. */
    private int ffmpeg(long ringId, Path out) throws Exception {
        Files.createDirectories(out);
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-nostdin", "-f", "mpjpeg",
                "-i", "http://127.0.0.1:" + port + "/api/v1/stream/rings/" + ringId + "/clip",
                "-c:v", "copy", "-f", "image2", "-y", out.resolve("clip%03d.jpg").toString())
                .redirectErrorStream(true).redirectOutput(out.resolve("ffmpeg.log").toFile()).start();
        assertThat(ffmpeg.waitFor(20, TimeUnit.SECONDS)).as("ffmpeg ends with the clip").isTrue();
        return ffmpeg.exitValue();
    }

    @Test
    void aRingThatIsNotKeptIs404() {
        Doorbell doorbell = new Doorbell(port);
        for (String path : new String[] {"/api/v1/stream/rings/123/snapshot", "/api/v1/stream/rings/123/clip"}) {
            HttpResponse<byte[]> response = doorbell.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(new String(response.body())).contains("\"success\":false").contains("doorcast.rings.keep");
        }
        assertThat(doorbell.get("/api/v1/stream/rings?device=garage").statusCode()).isEqualTo(404);
    }

    @Test
    void eventsSayWhenTheDoorbellGoesOfflineAndComesBack() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(960));
        try (SseReader events = events()) {
            assertThat(events.nextEvent().type()).isEqualTo("online");
            // Nothing for doorcast.presence.offline-after (5 s): offline.
            SseReader.Event offline = events.next("offline");
            assertThat(offline.json().path("device").asString()).isEqualTo("doorbell");
            long back = System.nanoTime();
            doorbell.postFrame(TestMedia.jpeg(961));

            SseReader.Event online = events.nextEvent();
            assertThat(online.type()).isEqualTo("online");
            assertThat(Duration.ofNanos(online.arrivedNanos() - back)).isLessThan(Duration.ofSeconds(1));
        }
    }

    private static List<byte[]> framesWritten(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<byte[]> frames = new ArrayList<>();
            for (Path frame : files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList()) {
                frames.add(Files.readAllBytes(frame));
            }
            return frames;
        }
    }
}
