package dev.doorcast.ingest;

import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import dev.doorcast.buffer.Audience;
import dev.doorcast.buffer.BufferStats;
import dev.doorcast.buffer.DeviceStreams;
import dev.doorcast.buffer.DoorbellRings;
import dev.doorcast.buffer.StreamBuffer;
import dev.doorcast.buffer.TalkBuffer;
import dev.doorcast.security.SecurityConfiguration;
import dev.doorcast.system.ClockConfiguration;
import dev.doorcast.system.DoorcastProperties;
import dev.doorcast.system.MultipartConfiguration;
import dev.doorcast.system.SettingsConfiguration;
import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

@WebMvcTest(controllers = DeviceIngestController.class,
        excludeAutoConfiguration = UserDetailsServiceAutoConfiguration.class, properties = {
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.demo.enabled=false",
})
@Import({SecurityConfiguration.class, SettingsConfiguration.class, ClockConfiguration.class,
        MultipartConfiguration.class, DeviceIntake.class})
// By name: the rings accepted come before the stuck button empties the device's burst.
@TestMethodOrder(MethodOrderer.MethodName.class)
class DeviceIngestControllerTest {

    private static final String CAMERA = "/api/v1/devices/doorbell/camera-stream";
    private static final String MIC = "/api/v1/devices/doorbell/mic-stream";
    private static final String RING = "/api/v1/devices/doorbell/ring";
    private static final String BEARER = "Bearer " + Doorbell.TOKEN;

    @Autowired
    MockMvcTester mvc;

    @Autowired
    StreamBuffer buffer;

    @Autowired
    DoorbellRings rings;

    @Autowired
    Audience audience;

    /** The default device's buffer and rings, and an audience that the tests set. */
    @TestConfiguration
    static class OneDevice {

        @Bean
        StreamBuffer buffer() {
            return new StreamBuffer(30, 100, InstantSource.system());
        }

        @Bean
        DoorbellRings rings(StreamBuffer buffer) {
            return new DoorbellRings(buffer, InstantSource.system());
        }

        @Bean
        Audience audience() {
            return mock(Audience.class);
        }

        @Bean
        DeviceStreams deviceStreams(StreamBuffer buffer, DoorbellRings rings, Audience audience) {
            return new DeviceStreams() {
                @Override
                public List<String> devices() {
                    return List.of(DoorcastProperties.DEFAULT_DEVICE);
                }

                @Override
                public StreamBuffer buffer(String device) {
                    assertThat(device).isEqualTo(DoorcastProperties.DEFAULT_DEVICE);
                    return buffer;
                }

                @Override
                public DoorbellRings rings(String device) {
                    assertThat(device).isEqualTo(DoorcastProperties.DEFAULT_DEVICE);
                    return rings;
                }

                @Override
                public Audience audience(String device) {
                    return audience;
                }

                @Override
                public TalkBuffer talk(String device) {
                    throw new UnsupportedOperationException("devices do not talk through ingest");
                }

                @Override
                public int speakerStreams(String device) {
                    throw new UnsupportedOperationException("devices do not talk through ingest");
                }
            };
        }
    }

    @BeforeEach
    void someoneIsWatching() {
        given(audience.viewers()).willReturn(2);
        given(audience.listeners()).willReturn(1);
        given(audience.eventStreams()).willReturn(3);
    }

    @Test
    void aRingWithOrWithoutABodyIsKeptAndCountsWhoItReached() {
        long before = rings.taken();

        MvcTestResult empty = mvc.post().uri(RING).header("Authorization", BEARER).exchange();
        MvcTestResult timed = mvc.post().uri(RING).header("Authorization", BEARER)
                .contentType(MediaType.APPLICATION_JSON).content("{\"timestamp\": 1795650743000}").exchange();

        assertThat(empty).hasStatusOk().bodyJson().isLenientlyEqualTo("{\"success\":true,\"viewers\":3}");
        assertThat(timed).hasStatusOk();
        assertThat(rings.taken()).isEqualTo(before + 2);
        assertThat(timed).bodyJson().extractingPath("$.ring_id").convertTo(Long.class)
                .isEqualTo(rings.list().getFirst().id());
        assertThat(rings.list().getFirst().deviceTimestamp()).isEqualTo(1795650743000L);
    }

    @Test
    void aStuckButtonIsSlowedDownWith429AndRetryAfter() {
        MvcTestResult refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            MvcTestResult result = mvc.post().uri(RING).header("Authorization", BEARER).exchange();
            if (result.getResponse().getStatus() == 429) {
                refused = result;
            }
        }

        assertThat(refused).as("twenty rings at once are refused at some point").isNotNull();
        assertThat(refused).headers().hasValue("Retry-After", "1");
        assertThat(refused).bodyJson().extractingPath("$.detail").asString().contains("doorcast.rings.burst");
    }

    @Test
    void acceptsAFrameAndEchoesTheDevicesFrameId() {
        byte[] jpeg = TestMedia.jpeg(1);

        MvcTestResult result = mvc.post().uri(CAMERA).header("Authorization", BEARER).multipart()
                .file(new MockMultipartFile("frame", "f.jpg", "image/jpeg", jpeg))
                .param("device_id", "esp32-cam").param("frame_id", "123").param("timestamp", "98765")
                .exchange();

        assertThat(result).hasStatusOk().bodyJson().isLenientlyEqualTo(
                "{\"success\":true,\"frame_id\":123,\"size\":" + jpeg.length + ",\"clients\":2}");
        assertThat(buffer.latestFrame().jpeg()).isEqualTo(jpeg);
        assertThat(buffer.latestFrame().deviceId()).isEqualTo("esp32-cam");
        assertThat(buffer.latestFrame().captureTimestamp()).isEqualTo(98765L);
    }

    @Test
    void acceptsAnAudioChunkWithItsSequence() {
        byte[] pcm = TestMedia.pcm(0, 2048);

        MvcTestResult result = mvc.post().uri(MIC).header("Authorization", BEARER).header("X-Sequence", "77")
                .contentType(MediaType.APPLICATION_OCTET_STREAM).content(pcm).exchange();

        assertThat(result).hasStatusOk().bodyJson()
                .isLenientlyEqualTo("{\"success\":true,\"sequence\":77,\"size\":2048,\"clients\":1}");
        assertThat(result).bodyJson().extractingPath("$.chunk_id").convertTo(Long.class)
                .isEqualTo(buffer.latestAudio().sequence());
        assertThat(buffer.latestAudio().pcm()).isEqualTo(pcm);
    }

    @Test
    void repeatedOrLateAudioIsAcknowledgedButNotPlayedAndARebootIsNew() {
        assertThat(audio(mvc, BEARER, TestMedia.pcm(1, 2048), "500")).bodyJson()
                .extractingPath("$.stored").isEqualTo(true);
        long stored = buffer.stats().audioChunksReceived();

        MvcTestResult repeat = audio(mvc, BEARER, TestMedia.pcm(1, 2048), "500");
        MvcTestResult late = audio(mvc, BEARER, TestMedia.pcm(2, 2048), "495");
        assertThat(repeat).hasStatusOk().bodyJson().extractingPath("$.stored").isEqualTo(false);
        assertThat(late).hasStatusOk().bodyJson().extractingPath("$.stored").isEqualTo(false);
        assertThat(buffer.stats().audioChunksReceived()).isEqualTo(stored);

        MvcTestResult afterReboot = audio(mvc, BEARER, TestMedia.pcm(3, 2048), "0");
        assertThat(afterReboot).bodyJson().extractingPath("$.stored").isEqualTo(true);
        assertThat(buffer.stats().audioChunksReceived()).isEqualTo(stored + 1);
    }

    @Test
    void absurdTimestampIsABadRequest() {
        MvcTestResult result = mvc.post().uri(CAMERA).header("Authorization", BEARER).multipart()
                .file(new MockMultipartFile("frame", "f.jpg", "image/jpeg", TestMedia.jpeg(9)))
                .param("timestamp", "99999999999999999").exchange();

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("2100");
    }

    @Test
    void deviceFarAboveItsFrameRateGets429WithRetryAfter() {
        MvcTestResult refused = null;
        for (int i = 0; i < 1000 && refused == null; i++) {
            MvcTestResult result = frame(mvc, BEARER, TestMedia.jpeg(i), null);
            if (result.getResponse().getStatus() == 429) {
                refused = result;
            }
        }

        assertThat(refused).as("a burst of frames at full speed is refused at some point").isNotNull();
        assertThat(refused).headers().hasValue("Retry-After", "1");
        assertThat(refused).bodyJson().extractingPath("$.success").isEqualTo(false);
        assertThat(refused).bodyJson().extractingPath("$.detail").asString().contains("max-device-fps");
    }

    /** A bad request, the status it must get, and a word its problem detail must contain. */
    record BadRequest(String name, RequestSpec spec, HttpStatus status, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface RequestSpec {
        MvcTestResult send(MockMvcTester mvc);
    }

    static Stream<BadRequest> badRequests() {
        byte[] jpeg = TestMedia.jpeg(2);
        byte[] notJpeg = "hello, this is not an image".getBytes();
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length - 10);
        return Stream.of(
                new BadRequest("frame without token", m -> frame(m, null, jpeg, "1"),
                        HttpStatus.UNAUTHORIZED, "Bearer"),
                new BadRequest("frame with wrong token", m -> frame(m, "Bearer nope", jpeg, "1"),
                        HttpStatus.UNAUTHORIZED, "not valid"),
                new BadRequest("frame with empty token", m -> frame(m, "Bearer ", jpeg, "1"),
                        HttpStatus.UNAUTHORIZED, "not valid"),
                new BadRequest("frame with basic auth", m -> frame(m, "Basic dXNlcjpwYXNz", jpeg, "1"),
                        HttpStatus.UNAUTHORIZED, "not valid"),
                new BadRequest("frame that is not a JPEG", m -> frame(m, BEARER, notJpeg, "1"),
                        HttpStatus.BAD_REQUEST, "SOI"),
                new BadRequest("frame cut short", m -> frame(m, BEARER, truncated, "1"),
                        HttpStatus.BAD_REQUEST, "EOI"),
                new BadRequest("empty frame", m -> frame(m, BEARER, new byte[0], "1"),
                        HttpStatus.BAD_REQUEST, "empty"),
                new BadRequest("non-numeric frame_id", m -> frame(m, BEARER, jpeg, "abc"),
                        HttpStatus.BAD_REQUEST, "frame_id"),
                new BadRequest("negative frame_id", m -> frame(m, BEARER, jpeg, "-5"),
                        HttpStatus.BAD_REQUEST, "frame_id"),
                new BadRequest("form without the frame part", m -> m.post().uri(CAMERA).header("Authorization", BEARER)
                        .multipart().param("frame_id", "1").exchange(), HttpStatus.BAD_REQUEST, "frame"),
                new BadRequest("frame as JSON", m -> m.post().uri(CAMERA).header("Authorization", BEARER)
                        .contentType(MediaType.APPLICATION_JSON).content("{}").exchange(),
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type"),
                new BadRequest("audio without token", m -> audio(m, null, new byte[2048], "1"),
                        HttpStatus.UNAUTHORIZED, "Bearer"),
                new BadRequest("empty audio", m -> audio(m, BEARER, new byte[0], "1"),
                        HttpStatus.BAD_REQUEST, "empty"),
                new BadRequest("odd audio byte count", m -> audio(m, BEARER, new byte[2047], "1"),
                        HttpStatus.BAD_REQUEST, "even"),
                new BadRequest("audio over 16 KB", m -> audio(m, BEARER, new byte[16 * 1024 + 2], "1"),
                        HttpStatus.CONTENT_TOO_LARGE, "limit"),
                new BadRequest("non-numeric X-Sequence", m -> audio(m, BEARER, new byte[2048], "x1"),
                        HttpStatus.BAD_REQUEST, "X-Sequence"),
                new BadRequest("ring without token", m -> m.post().uri(RING).exchange(),
                        HttpStatus.UNAUTHORIZED, "Bearer"),
                new BadRequest("ring with wrong token", m -> ring(m, "Bearer nope", "{}"),
                        HttpStatus.UNAUTHORIZED, "not valid"),
                new BadRequest("ring that is not JSON", m -> ring(m, BEARER, "{timestamp: 5"),
                        HttpStatus.BAD_REQUEST, "not JSON"),
                new BadRequest("ring as a JSON array", m -> ring(m, BEARER, "[1, 2]"),
                        HttpStatus.BAD_REQUEST, "object"),
                new BadRequest("ring with a text timestamp", m -> ring(m, BEARER, "{\"timestamp\": \"noon\"}"),
                        HttpStatus.BAD_REQUEST, "whole number"),
                new BadRequest("ring with a fractional timestamp", m -> ring(m, BEARER, "{\"timestamp\": 1.5}"),
                        HttpStatus.BAD_REQUEST, "whole number"),
                new BadRequest("ring with a negative timestamp", m -> ring(m, BEARER, "{\"timestamp\": -1}"),
                        HttpStatus.BAD_REQUEST, "negative"),
                new BadRequest("ring past 2100", m -> ring(m, BEARER, "{\"timestamp\": 99999999999999999}"),
                        HttpStatus.BAD_REQUEST, "2100"),
                new BadRequest("ring with a 2 KB body", m -> ring(m, BEARER, "{\"x\": \"" + "a".repeat(2048) + "\"}"),
                        HttpStatus.CONTENT_TOO_LARGE, "limit"),
                new BadRequest("audio as text", m -> m.post().uri(MIC).header("Authorization", BEARER)
                        .contentType(MediaType.TEXT_PLAIN).content("abcd").exchange(),
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputGetsAProblemAndChangesNothing(BadRequest bad) {
        BufferStats before = buffer.stats();
        long kept = rings.taken();

        MvcTestResult result = bad.spec().send(mvc);

        assertThat(result).hasStatus(bad.status());
        assertThat(result).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.success").isEqualTo(false);
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(bad.status().value());
        assertThat(result).bodyJson().extractingPath("$.detail").asString().containsIgnoringCase(bad.detail());
        assertThat(buffer.stats()).as("nothing stored or counted").isEqualTo(before);
        assertThat(rings.taken()).as("no ring kept").isEqualTo(kept);
        if (bad.status() == HttpStatus.UNAUTHORIZED) {
            assertThat(result).headers().hasHeaderSatisfying("WWW-Authenticate",
                    values -> assertThat(values.getFirst()).startsWith("Bearer realm=\"doorcast\""));
        }
    }

    private static MvcTestResult frame(MockMvcTester mvc, String authorization, byte[] jpeg, String frameId) {
        var request = mvc.post().uri(CAMERA).multipart()
                .file(new MockMultipartFile("frame", "f.jpg", "image/jpeg", jpeg));
        if (frameId != null) {
            request.param("frame_id", frameId);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.exchange();
    }

    private static MvcTestResult ring(MockMvcTester mvc, String authorization, String json) {
        return mvc.post().uri(RING).header("Authorization", authorization)
                .contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }

    private static MvcTestResult audio(MockMvcTester mvc, String authorization, byte[] pcm, String sequence) {
        var request = mvc.post().uri(MIC).header("X-Sequence", sequence)
                .contentType(MediaType.APPLICATION_OCTET_STREAM).content(pcm);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.exchange();
    }
}
