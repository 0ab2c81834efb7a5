package dev.doorcast.history;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.MjpegReader;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A ring outlives the server: written to the embedded store, an H2 file under doorcast.storage.path, it is
 * listed by the next server on the same folder, with its picture byte for byte and its clip.
 */
class RingsAfterRestartTest {

    @TempDir
    Path storage;

    private static ConfigurableApplicationContext server(Path storage) {
        // The tests' default is a database in memory; this is the file the default configuration opens.
        return Instances.start("--doorcast.storage.path=" + storage,
                "--spring.datasource.url=jdbc:h2:file:" + storage + "/doorcast");
    }

    private ConfigurableApplicationContext server() {
        return server(storage);
    }

    @Test
    void aRingIsListedWithItsPictureAndClipAfterARestart() throws Exception {
        byte[] before = TestMedia.jpeg(1101);
        byte[] who = TestMedia.jpeg(1102);
        byte[] after = TestMedia.jpeg(1103);
        long ringId;
        long rangAt;
        try (ConfigurableApplicationContext first = server()) {
            Doorbell doorbell = Instances.doorbell(first);
            doorbell.postFrame(before);
            doorbell.postFrame(who);
            ringId = Doorbell.ringId(doorbell.ring());
            doorbell.postFrame(after);
            rangAt = Instances.rings(doorbell, null).get(0).path("time").asLong();
            // The clip is final a second after the ring, and written then: before the server stops.
            await().atMost(Duration.ofSeconds(10)).until(() -> Instances.stored(doorbell, null) >= 1);
        }

        try (ConfigurableApplicationContext second = server()) {
            Doorbell doorbell = Instances.doorbell(second);
            JsonNode ring = Instances.rings(doorbell, null).get(0);
            assertThat(ring.path("ringId").asLong()).isEqualTo(ringId);
            assertThat(ring.path("time").asLong()).isEqualTo(rangAt);
            assertThat(ring.path("snapshot").asString())
                    .isEqualTo("/api/v1/stream/rings/" + ringId + "/snapshot?device=doorbell");
            assertThat(ring.path("clip").asString())
                    .isEqualTo("/api/v1/stream/rings/" + ringId + "/clip?device=doorbell");

            var snapshot = doorbell.get(ring.path("snapshot").asString());
            assertThat(snapshot.statusCode()).isEqualTo(200);
            assertThat(snapshot.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(snapshot.body()).as("byte for byte the frame at the ring").isEqualTo(who);

            try (MjpegReader clip = MjpegReader.open(Instances.port(second), ring.path("clip").asString(),
                    Duration.ofSeconds(10))) {
                assertThat(clip.status()).isEqualTo(200);
                assertThat(clip.headers()).containsKey("content-length");
                clip.readOpeningBoundary();
                List<byte[]> frames = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    frames.add(clip.nextPart().body());
                }
                assertThat(frames).containsExactly(before, who, after);
            }
        }
    }

    @Test
    void aBackupTakenWhileTheServerRunsOpensWithItsRings(@TempDir Path restored) throws Exception {
        long ringId;
        byte[] who = TestMedia.jpeg(1111);
        try (ConfigurableApplicationContext running = server()) {
            Doorbell doorbell = Instances.doorbell(running);
            doorbell.postFrame(who);
            ringId = Doorbell.ringId(doorbell.ring());
            await().atMost(Duration.ofSeconds(10)).until(() -> Instances.stored(doorbell, null) >= 1);

            HttpResponse<String> backup = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + Instances.port(running) + "/api/v1/store/backup"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(backup.statusCode()).isEqualTo(200);
            assertThat(backup.body()).contains("\"success\":true").contains("doorcast-backup.zip");
        }
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(storage.resolve("doorcast-backup.zip")))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Files.copy(zip, restored.resolve(entry.getName()));
            }
        }

        try (ConfigurableApplicationContext fromBackup = server(restored)) {
            Doorbell doorbell = Instances.doorbell(fromBackup);
            assertThat(Instances.ringIds(doorbell, null)).containsExactly(ringId);
            assertThat(doorbell.get("/api/v1/stream/rings/" + ringId + "/snapshot").body()).isEqualTo(who);
        }
    }
}
