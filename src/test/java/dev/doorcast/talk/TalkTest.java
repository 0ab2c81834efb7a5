package dev.doorcast.talk;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LiveServerTest;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Talk-back over real HTTP: viewers post their voice, the doorbell reads it from its speaker stream. */
@LiveServerTest
class TalkTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SPEAKER = "/api/v1/devices/doorbell/speaker-stream";
    private static final String DEVICE = "Authorization: Bearer " + Doorbell.TOKEN;

    @LocalServerPort
    int port;

    private MjpegReader speaker(String query) throws Exception {
        MjpegReader reader = MjpegReader.open(port, SPEAKER + query, Duration.ofSeconds(5), DEVICE);
        assertThat(reader.status()).isEqualTo(200);
        return reader;
    }

    /** Waits until the doorbell's speaker stream counts here, so that what is said next reaches it. */
    private void awaitSpeaker(Doorbell viewer) {
        await().atMost(Duration.ofSeconds(5)).until(() -> new String(viewer.get("/actuator/prometheus").body())
                .contains("doorcast_speaker_streams{device=\"doorbell\"} 1.0"));
    }

    @Test
    void theSpeakerStreamSendsItsHeadersAtOnceThenWhatIsSaidInOrderEachOnce() throws Exception {
        Doorbell viewer = new Doorbell(port);
        try (MjpegReader speaker = speaker("")) {
            assertThat(speaker.headers())
                    .containsEntry("content-type", "audio/pcm")
                    .containsEntry("x-sample-rate", "16000")
                    .containsEntry("x-channels", "1")
                    .containsEntry("x-bit-depth", "16")
                    .containsEntry("connection", "close")
                    .doesNotContainKey("transfer-encoding");
            awaitSpeaker(viewer);
            String talkId = "talker-" + System.nanoTime();
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                byte[] pcm = TestMedia.pcm(300 + i, 2048);
                said.writeBytes(pcm);
                if (i == 0) {
                    // Another test class's talker may hold the line for up to a second more: take it then.
                    await().atMost(Duration.ofSeconds(3))
                            .until(() -> viewer.talk("", talkId, 0, pcm).statusCode() == 200);
                    continue;
                }
                HttpResponse<String> answer = viewer.talk("", talkId, i, pcm);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                JsonNode body = JSON.readTree(answer.body());
                assertThat(body.path("stored").asBoolean()).isTrue();
                assertThat(body.path("sequence").asLong()).isEqualTo(i);
                assertThat(body.path("speakers").asInt()).isEqualTo(1);
            }
            assertThat(viewer.talk("", talkId, 19, TestMedia.pcm(319, 2048)).body())
                    .as("a repeat is acknowledged, not played twice").contains("\"stored\":false");

            assertThat(afterSilence(speaker, said.toByteArray())).as("only silence before what was said").isTrue();
            assertThat(speaker.quietFor(Duration.ofMillis(300))).as("nothing twice").isTrue();
        }
    }

    @Test
    void theSpeakerStreamComesAsWavToo() throws Exception {
        try (MjpegReader speaker = speaker("?format=wav")) {
            assertThat(speaker.headers()).containsEntry("content-type", "audio/wav");
            assertThat(new String(speaker.readBytes(44), 0, 4)).isEqualTo("RIFF");
        }
    }

    @Test
    void twoTalkersRacingOneHasTheLineTheOtherIsToldToWait() throws Exception {
        Doorbell viewer = new Doorbell(port);
        // A second since anyone talked, so that the line is free for the race.
        await().atMost(Duration.ofSeconds(3)).until(() -> viewer.talk("", "free-check-" + System.nanoTime(), 0,
                new byte[2]).statusCode() == 200);
        await().pollDelay(Duration.ofMillis(1100)).until(() -> true);
        try (MjpegReader speaker = speaker("")) {
            awaitSpeaker(viewer);
            await().pollDelay(Duration.ofMillis(1100)).until(() -> true);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<List<HttpResponse<String>>> alice = CompletableFuture.supplyAsync(
                    () -> talk(viewer, "alice-" + System.nanoTime(), 500, go));
            CompletableFuture<List<HttpResponse<String>>> bob = CompletableFuture.supplyAsync(
                    () -> talk(viewer, "bob-" + System.nanoTime(), 600, go));
            go.countDown();
            List<HttpResponse<String>> a = alice.get();
            List<HttpResponse<String>> b = bob.get();

            List<HttpResponse<String>> winner = a.getFirst().statusCode() == 200 ? a : b;
            List<HttpResponse<String>> loser = winner == a ? b : a;
            assertThat(winner).extracting(HttpResponse::statusCode).containsOnly(200);
            assertThat(loser).extracting(HttpResponse::statusCode).containsOnly(409);
            HttpResponse<String> busy = loser.getFirst();
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(busy.body()).contains("\"success\":false").contains("Someone else is talking");
            // The doorbell hears the winner alone.
            int first = winner == a ? 500 : 600;
            ByteArrayOutputStream heard = new ByteArrayOutputStream();
            for (int i = 0; i < 15; i++) {
                heard.writeBytes(TestMedia.pcm(first + i, 2048));
            }
            assertThat(afterSilence(speaker, heard.toByteArray())).as("only silence before the winner").isTrue();

            // A second after the winner stops, the line is the other's.
            String loserId = loser == a ? "alice-late" : "bob-late-1";
            await().atMost(Duration.ofSeconds(3)).until(() -> viewer.talk("", loserId + "-x", 0,
                    TestMedia.pcm(700, 2048)).statusCode() == 200);
        }
    }

    /** 15 chunks of one talker, about 20 ms apart, starting together with the other. */
    private static List<HttpResponse<String>> talk(Doorbell viewer, String talkId, int first, CountDownLatch go) {
        List<HttpResponse<String>> answers = new ArrayList<>();
        try {
            go.await();
            if (talkId.startsWith("bob")) {
                Thread.sleep(5); // one of the two is first, by a hair; which one does not matter
            }
            for (int i = 0; i < 15; i++) {
                answers.add(viewer.talk("", talkId, i, TestMedia.pcm(first + i, 2048)));
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return answers;
    }

    @Test
    void badVoiceIsRefusedAsTheMicrophonesIs() {
        Doorbell viewer = new Doorbell(port);
        String id = "bad-input-" + System.nanoTime();
        assertThat(viewer.talk("", id, 0, new byte[2047]).body()).contains("even");
        assertThat(viewer.talk("", id, 0, new byte[0]).statusCode()).isEqualTo(400);
        assertThat(viewer.talk("", id, -1, new byte[2048]).body()).contains("X-Sequence must not be negative");
        assertThat(viewer.talk("", id, 0, new byte[16 * 1024 + 2]).statusCode()).isEqualTo(413);
        assertThat(viewer.talk("", "short", 0, new byte[2048]).body()).contains("X-Talk-Id");
        assertThat(viewer.talk("", "has spaces in it", 0, new byte[2048]).statusCode()).isEqualTo(400);
        assertThat(viewer.talk("", id, 0, new byte[2048], "Content-Type: text/plain").statusCode()).isEqualTo(415);
        assertThat(viewer.talk("?device=garage", id, 0, new byte[2048]).statusCode()).isEqualTo(404);
    }

    @Test
    void aTalkerFarAboveRealTimeGets429WithRetryAfter() {
        Doorbell viewer = new Doorbell(port);
        await().atMost(Duration.ofSeconds(3)).until(() -> viewer.talk("", "rate-" + System.nanoTime(), 0,
                new byte[2]).statusCode() == 200);
        await().pollDelay(Duration.ofMillis(1100)).until(() -> true);
        String id = "fast-talker-" + System.nanoTime();
        HttpResponse<String> refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            HttpResponse<String> answer = viewer.talk("", id, i, new byte[16 * 1024]);
            if (answer.statusCode() == 429) {
                refused = answer;
            }
        }

        assertThat(refused).as("320 KB at once is more than a second at four times real time").isNotNull();
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void onlyTheDeviceTokenReadsTheSpeaker() throws Exception {
        try (MjpegReader anonymous = MjpegReader.open(port, SPEAKER, Duration.ofSeconds(5));
                MjpegReader wrong = MjpegReader.open(port, SPEAKER, Duration.ofSeconds(5),
                        "Authorization: Bearer not-the-device-token")) {
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(wrong.status()).isEqualTo(401);
        }
    }

    /**
     * Reads the speaker stream until {@code expected} has come, and says whether all that came before it was
     * silence (the keep-alive's zeros while nobody talked).
     */
    private static boolean afterSilence(MjpegReader speaker, byte[] expected) throws Exception {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        read.writeBytes(speaker.readBytes(expected.length));
        while (!java.util.Arrays.equals(read.toByteArray(), read.size() - expected.length, read.size(),
                expected, 0, expected.length)) {
            if (read.size() > expected.length + 64_000) {
                return false;
            }
            read.writeBytes(speaker.readBytes(2));
        }
        byte[] all = read.toByteArray();
        for (int i = 0; i < all.length - expected.length; i++) {
            if (all[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
