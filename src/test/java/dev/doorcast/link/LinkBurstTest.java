package dev.doorcast.link;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.doorcast.testing.Doorbell;
import dev.doorcast.testing.LinkClient;
import dev.doorcast.testing.TestMedia;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many doorbells opening their links at once while the server is busy with other connections: the moment a
 * connection is handed over from Tomcat to the link is where a race would close a new link at once. Each link
 * of every burst must stay open and carry what its doorbell sends: a first frame sent at once, then frames before
 * and after its first pings.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "doorcast.demo.enabled=false",
        "doorcast.security.device-token=" + Doorbell.TOKEN,
        "doorcast.limits.max-device-fps=1000",
        "doorcast.link.ping-every=200ms",
        "doorcast.link.silence=5s",
})
class LinkBurstTest {

    private static final int BURSTS = 3;
    private static final int LINKS = 40;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicLong IDS = new AtomicLong(1000);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void doorbells(DynamicPropertyRegistry registry) {
        for (int burst = 0; burst < BURSTS; burst++) {
            for (int i = 0; i < LINKS; i++) {
                String device = device(burst, i);
                registry.add("doorcast.devices." + device + ".token", () -> token(device));
            }
        }
    }

    private static String device(int burst, int i) {
        return "burst" + burst + "n" + i;
    }

    private static String token(String device) {
        return "token-of-" + device + "-0123456789";
    }

    @Test
    void linksOpenedInABurstUnderLoadAllStayOpenAndCarryTheirFrames() throws Exception {
        AtomicBoolean loading = new AtomicBoolean(true);
        List<Thread> load = startLoad(loading);
        try {
            for (int burst = 0; burst < BURSTS; burst++) {
                burst(burst);
            }
        } finally {
            loading.set(false);
            for (Thread thread : load) {
                thread.join();
            }
        }
    }

    /** Opens {@link #LINKS} links at the same moment, then checks each one twice over. */
    private void burst(int burst) throws Exception {
        List<LinkClient> links = new ArrayList<>();
        try (ExecutorService opening = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<LinkClient>> opened = new ArrayList<>();
            for (int i = 0; i < LINKS; i++) {
                String device = device(burst, i);
                byte[] frame = firstFrame(burst, i);
                opened.add(opening.submit(() -> {
                    go.await();
                    // The first frame goes at once, as a doorbell's does, while the server may still be handing
                    // the connection over; larger than a socket read, so that a byte lost there shows.
                    LinkClient link = LinkClient.open(port, token(device));
                    link.send(LinkClient.FRAME, IDS.incrementAndGet(), 0, frame);
                    return link;
                }));
            }
            go.countDown();
            for (Future<LinkClient> link : opened) {
                links.add(link.get());
            }
        }
        try {
            for (int round = 0; round < 3; round++) {
                List<byte[]> sent = new ArrayList<>();
                for (int i = 0; i < LINKS; i++) {
                    LinkClient link = links.get(i);
                    if (round == 0) {
                        sent.add(firstFrame(burst, i));
                        continue;
                    }
                    if (round == 1) {
                        link.nextText("watching", WAIT);
                    }
                    byte[] frame = TestMedia.jpeg(burst * 1000 + round * 100 + i);
                    link.send(LinkClient.FRAME, IDS.incrementAndGet(), 0, frame);
                    sent.add(frame);
                }
                Doorbell viewer = new Doorbell(port);
                for (int i = 0; i < LINKS; i++) {
                    String snapshot = "/api/v1/stream/camera/snapshot?device=" + device(burst, i);
                    byte[] frame = sent.get(i);
                    await(device(burst, i) + "'s frame of round " + round).atMost(WAIT)
                            .until(() -> Arrays.equals(viewer.get(snapshot).body(), frame));
                }
                for (int i = 0; i < LINKS; i++) {
                    assertThat(links.get(i).isOpen()).as("%s's link", device(burst, i)).isTrue();
                    assertThat(JSON.readTree(viewer.get("/api/v1/stream/stats?device=" + device(burst, i)).body())
                            .path("stats").path("link").path("connected").asBoolean())
                            .as("%s on its link", device(burst, i)).isTrue();
                }
                if (round == 1) {
                    // Past a few pings and pongs, before the last round.
                    long pinged = System.nanoTime();
                    await().atMost(WAIT).until(() -> System.nanoTime() - pinged > Duration.ofMillis(600).toNanos());
                }
            }
        } finally {
            links.forEach(LinkClient::close);
        }
    }

    private static byte[] firstFrame(int burst, int i) {
        return TestMedia.jpegOfSize(9000 + burst * 100 + i);
    }

    /**
     * Another doorbell posting frames as fast as it can on two threads and a third thread hashing: Tomcat's
     * poller and workers busy with other connections, and the cores short, while links are handed over.
     */
    private List<Thread> startLoad(AtomicBoolean loading) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            threads.add(Thread.ofPlatform().name("burst-load-posts-" + i).start(() -> {
                Doorbell doorbell = new Doorbell(port);
                byte[] frame = TestMedia.jpeg(7);
                while (loading.get()) {
                    doorbell.postFrame(frame);
                }
            }));
        }
        threads.add(Thread.ofPlatform().name("burst-load-cpu").start(() -> {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] block = new byte[64 * 1024];
                while (loading.get()) {
                    block = Arrays.copyOf(sha.digest(block), block.length);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        return threads;
    }
}
