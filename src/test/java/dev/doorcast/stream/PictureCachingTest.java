package dev.doorcast.stream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a cache in front may keep of the pictures, and how it asks again, with viewers needing no credential. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.limits.max-device-fps=1000",
        "doorcast.rings.burst=1000",
        // A clip that ends soon after its ring, so that it is finished while the test runs.
        "doorcast.rings.clip-after=300ms",
})
class PictureCachingTest {

    private static final String SNAPSHOT = "/api/v1/stream/camera/snapshot";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " header"));
    }

    @Test
    void theSnapshotCarriesValidatorsAndMayBeSharedForAboutASecond() throws Exception {
        new Doorbell(port).postFrame(TestMedia.jpeg(1201));

        HttpResponse<byte[]> snapshot = send("GET", SNAPSHOT);

        assertThat(snapshot.statusCode()).isEqualTo(200);
        assertThat(header(snapshot, "Cache-Control")).isEqualTo("max-age=1, public, stale-while-revalidate=1");
        String sequence = header(snapshot, "X-Sequence");
        assertThat(header(snapshot, "ETag")).as("strong, naming the device and the frame")
                .matches("\"doorbell-" + sequence + "-1\\d{12}\"");
        long arrived = Long.parseLong(header(snapshot, "X-Timestamp"));
        assertThat(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(header(snapshot, "Last-Modified"))))
                .isEqualTo(Instant.ofEpochMilli(arrived - arrived % 1000));
        assertThat(snapshot.headers().firstValue("Pragma")).isEmpty();
    }

    @Test
    void aMatchingIfNoneMatchGetsA304WithNoBodyUntilANewerFrameComes() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(1202));
        HttpResponse<byte[]> first = send("GET", SNAPSHOT);
        String etag = header(first, "ETag");

        HttpResponse<byte[]> again = send("GET", SNAPSHOT, "If-None-Match", etag);

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(header(again, "ETag")).isEqualTo(etag);
        assertThat(header(again, "Cache-Control")).as("a 304 refreshes what the cache keeps")
                .isEqualTo(header(first, "Cache-Control"));

        byte[] newer = TestMedia.jpeg(1203);
        doorbell.postFrame(newer);
        HttpResponse<byte[]> changed = send("GET", SNAPSHOT, "If-None-Match", etag);

        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(newer);
        assertThat(header(changed, "ETag")).isNotEqualTo(etag);
    }

    @Test
    void headIsAnsweredAsGetIsWithoutTheBody() throws Exception {
        new Doorbell(port).postFrame(TestMedia.jpeg(1204));
        HttpResponse<byte[]> get = send("GET", SNAPSHOT);

        HttpResponse<byte[]> head = send("HEAD", SNAPSHOT);
        HttpResponse<byte[]> conditional = send("HEAD", SNAPSHOT, "If-None-Match", header(get, "ETag"));

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(header(head, "ETag")).isEqualTo(header(get, "ETag"));
        assertThat(header(head, "Content-Length")).isEqualTo(String.valueOf(get.body().length));
        assertThat(head.body()).isEmpty();
        assertThat(conditional.statusCode()).isEqualTo(304);
    }

    @Test
    void ifModifiedSinceAloneIsJudgedByTheSecondTheFrameCameIn() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        doorbell.postFrame(TestMedia.jpeg(1205));
        HttpResponse<byte[]> first = send("GET", SNAPSHOT);
        String lastModified = header(first, "Last-Modified");

        assertThat(send("GET", SNAPSHOT, "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);

        long arrived = Long.parseLong(header(first, "X-Timestamp"));
        await().atMost(Duration.ofSeconds(3)).until(() -> System.currentTimeMillis() / 1000 > arrived / 1000);
        doorbell.postFrame(TestMedia.jpeg(1206));
        assertThat(send("GET", SNAPSHOT, "If-Modified-Since", lastModified).statusCode()).isEqualTo(200);
    }

    @Test
    void aFrameChosenForATimeThatIsPastIsSettledAndOneThatCouldStillChangeIsLive() throws Exception {
        new Doorbell(port).postFrame(TestMedia.jpeg(1207));
        long arrived = Long.parseLong(header(send("GET", SNAPSHOT), "X-Timestamp"));
        await().atMost(Duration.ofSeconds(2)).until(() -> System.currentTimeMillis() > arrived);

        HttpResponse<byte[]> past = send("GET", "/api/v1/stream/camera/synced?audioTimestamp=" + arrived);
        // 400 ms after the frame: a frame arriving in the next 800 ms would be nearer.
        HttpResponse<byte[]> open = send("GET", "/api/v1/stream/camera/synced?audioTimestamp=" + (arrived + 400));

        assertThat(past.statusCode()).isEqualTo(200);
        assertThat(header(past, "Cache-Control")).isEqualTo("max-age=86400, public, immutable");
        assertThat(header(past, "ETag")).isEqualTo(header(send("GET", SNAPSHOT), "ETag"));
        assertThat(send("GET", "/api/v1/stream/camera/synced?audioTimestamp=" + arrived,
                "If-None-Match", header(past, "ETag")).statusCode()).isEqualTo(304);
        if (System.currentTimeMillis() < arrived + 800) {
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(header(open, "Cache-Control")).startsWith("max-age=1,");
        }
    }

    @Test
    void aRingsPictureAndItsFinishedClipNeverChangeAndSaySo() throws Exception {
        Doorbell doorbell = new Doorbell(port);
        byte[] who = TestMedia.jpeg(1208);
        doorbell.postFrame(who);
        long ringId = Doorbell.ringId(doorbell.ring());
        String picture = "/api/v1/stream/rings/" + ringId + "/snapshot";
        String clip = "/api/v1/stream/rings/" + ringId + "/clip";

        HttpResponse<byte[]> snapshot = send("GET", picture);

        assertThat(snapshot.statusCode()).isEqualTo(200);
        assertThat(snapshot.body()).isEqualTo(who);
        assertThat(header(snapshot, "Cache-Control")).isEqualTo("max-age=86400, public, immutable");
        assertThat(header(snapshot, "ETag")).isEqualTo("\"doorbell-ring-" + ringId + "\"");
        assertThat(send("GET", picture, "If-None-Match", header(snapshot, "ETag")).statusCode()).isEqualTo(304);

        // Recording: nothing may keep it, as a live stream.
        HttpResponse<byte[]> recording = send("HEAD", clip);
        assertThat(header(recording, "Cache-Control")).contains("no-store");
        assertThat(recording.headers().firstValue("ETag")).isEmpty();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(send("HEAD", clip).headers().firstValue("ETag")).isPresent());
        HttpResponse<byte[]> finished = send("GET", clip);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(header(finished, "Cache-Control")).isEqualTo("max-age=86400, public, immutable");
        assertThat(header(finished, "ETag")).isEqualTo("\"doorbell-ring-" + ringId + "-clip\"");
        assertThat(finished.headers().firstValue("Pragma")).isEmpty();
        HttpResponse<byte[]> cached = send("GET", clip, "If-None-Match", header(finished, "ETag"));
        assertThat(cached.statusCode()).isEqualTo(304);
        assertThat(cached.body()).isEmpty();
    }
}
