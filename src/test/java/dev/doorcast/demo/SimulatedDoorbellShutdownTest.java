package dev.doorcast.demo;

import java.time.Duration;

import dev.doorcast.DoorcastApplication;
import dev.doorcast.testing.Doorbell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stopping a local run (Ctrl-C) while the simulated doorbell posts: a quiet stop, no warning. */
@ExtendWith(OutputCaptureExtension.class)
class SimulatedDoorbellShutdownTest {

    @Test
    void stoppingTheServerWhileTheSimulatedDoorbellPostsLogsNoWarning(CapturedOutput output) {
        for (int run = 0; run < 3; run++) {
            // 60 fps and audio every 64 ms: a post is on its way, or about to be, whenever the stop comes.
            ConfigurableApplicationContext app = new SpringApplicationBuilder(DoorcastApplication.class)
                    .run("--server.port=0", "--doorcast.demo.enabled=true", "--doorcast.demo.fps=60");
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            Doorbell viewer = new Doorbell(port);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> viewer.stats().path("framesReceived").asLong() >= 10);
            int before = output.getAll().length();

            app.close();

            assertThat(output.getAll().substring(before)).as("what the stop printed")
                    .doesNotContain("Simulated doorbell could not post")
                    .doesNotContain("Simulated doorbell got")
                    .doesNotContain(" WARN ");
        }
    }
}
