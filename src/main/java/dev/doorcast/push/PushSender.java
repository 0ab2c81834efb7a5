package dev.doorcast.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.doorcast.system.DoorcastProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the pushes, off every device's thread: a ring is queued (bounded; when full it is dropped and
 * counted), a few senders take from the queue, look up who may see the device and POST to each push
 * service with a short timeout and no redirects. A 404 or 410 forgets the subscription; 429, 5xx or no
 * answer are tried again a few times, after the push service's {@code Retry-After} (within a bound) or a
 * growing wait. Every outcome is counted ({@code doorcast.pushes{outcome}}).
 */
final class PushSender implements AutoCloseable {

    /** A push older than this is of no use to whoever is at the door: the push service drops it after it too. */
    static final int TTL_SECONDS = 60;
    /** The longest wait before trying again, whatever {@code Retry-After} says: past it the ring is history. */
    static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
    private static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(1);

    /** How each push ended. */
    enum Outcome {
        /** The push service took it (2xx). */
        SENT,
        /** 404 or 410: the subscription is gone, and forgotten here. */
        GONE,
        /** 429, 5xx or no answer: to be tried again. */
        RETRIED,
        /** Another answer (400, 401, 403, 413...): not tried again. */
        REFUSED,
        /** Still 429, 5xx or no answer after the last attempt. */
        FAILED,
        /** Not sent: the queue was full, or the server was stopping. */
        DROPPED
    }

    private sealed interface Job permits RingJob, Delivery {
    }

    private record RingJob(String device, long ringId, long time) implements Job {
    }

    private record Delivery(PushStore.Subscription subscription, byte[] message, int attempt) implements Job {
    }

    private static final Logger log = LoggerFactory.getLogger(PushSender.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PushStore store;
    private final PushCredentials credentials;
    private final VapidKeys keys;
    private final HttpClient http;
    private final InstantSource clock;
    private final Duration timeout;
    private final int attempts;
    private final BlockingQueue<Job> queue;
    private final List<Thread> senders = new ArrayList<>();
    private final ScheduledExecutorService retries;
    private final ExecutorService httpThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<Outcome, Counter> outcomes = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    PushSender(PushStore store, PushCredentials credentials, VapidKeys keys, DoorcastProperties.Push settings,
            InstantSource clock, MeterRegistry meters) {
        this.store = store;
        this.credentials = credentials;
        this.keys = keys;
        this.clock = clock;
        this.timeout = settings.timeout();
        this.attempts = settings.attempts();
        this.queue = new ArrayBlockingQueue<>(settings.queue());
        // The server POSTs to addresses strangers hand it: a redirect could lead anywhere, so none is followed.
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout())
                .executor(httpThreads)
                .build();
        this.retries = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("doorcast-push-retries").daemon().factory());
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder("doorcast.pushes").tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .description("Web Push messages to subscribers' push services, by how each ended")
                    .register(meters));
        }
        Gauge.builder("doorcast.pushes.queued", queue, BlockingQueue::size)
                .description("Rings and pushes waiting for a sender").register(meters);
        for (int i = 0; i < settings.senders(); i++) {
            senders.add(Thread.ofVirtual().name("doorcast-push-" + i).start(this::send));
        }
    }

    /** Queues the pushes of a ring; returns at once, whatever the push services do. */
    void ring(String device, long ringId, long time) {
        offer(new RingJob(device, ringId, time));
    }

    long count(Outcome outcome) {
        return (long) outcomes.get(outcome).count();
    }

    private void offer(Job job) {
        if (stopped || !queue.offer(job)) {
            outcomes.get(Outcome.DROPPED).increment();
        }
    }

    private void send() {
        while (!stopped) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                switch (job) {
                    case RingJob ring -> fanOut(ring);
                    case Delivery delivery -> deliver(delivery);
                }
            } catch (RuntimeException e) {
                log.warn("A push failed: {}", e.toString());
            }
        }
    }

    private void fanOut(RingJob ring) {
        byte[] message = JSON.writeValueAsBytes(JSON.createObjectNode()
                .put("type", "ring")
                .put("device", ring.device())
                .put("ringId", ring.ringId())
                .put("time", ring.time()));
        for (PushStore.Subscription subscription : store.forDevice(ring.device())) {
            if (credentials.opens(subscription.holder(), subscription.credential(), ring.device())) {
                offer(new Delivery(subscription, message, 1));
            }
        }
    }

    private void deliver(Delivery delivery) {
        PushStore.Subscription subscription = delivery.subscription();
        URI endpoint = URI.create(subscription.endpoint());
        byte[] body = PushEncryption.encrypt(delivery.message(),
                P256.publicKey(P256.fromBase64Url(subscription.p256dh())), P256.fromBase64Url(subscription.auth()));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("TTL", Integer.toString(TTL_SECONDS))
                .header("Urgency", "high")
                .header("Content-Encoding", "aes128gcm")
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", keys.authorization(endpoint, clock.millis() / 1000))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        int status;
        String retryAfter;
        // The body too must come within the timeout: a push service that sends its head and then nothing
        // must not hold a sender.
        CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            HttpResponse<Void> response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            status = response.statusCode();
            retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            answer.cancel(true);
            log.debug("No answer from {}: {}", VapidKeys.origin(endpoint), e.toString());
            retry(delivery, null);
            return;
        }
        if (status >= 200 && status < 300) {
            outcomes.get(Outcome.SENT).increment();
        } else if (status == 404 || status == 410) {
            store.remove(subscription.id());
            outcomes.get(Outcome.GONE).increment();
        } else if (status == 429 || status >= 500) {
            retry(delivery, retryAfter);
        } else {
            log.info("{} refused a push with {}", VapidKeys.origin(endpoint), status);
            outcomes.get(Outcome.REFUSED).increment();
        }
    }

    private void retry(Delivery delivery, @Nullable String retryAfter) {
        if (delivery.attempt() >= attempts || stopped) {
            outcomes.get(Outcome.FAILED).increment();
            return;
        }
        outcomes.get(Outcome.RETRIED).increment();
        Duration delay = retryDelay(retryAfter, delivery.attempt(), clock);
        Delivery again = new Delivery(delivery.subscription(), delivery.message(), delivery.attempt() + 1);
        retries.schedule(() -> offer(again), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * How long to wait before attempt {@code attempt + 1}: what {@code Retry-After} asks (seconds or an HTTP
     * date), else 1 s doubled each time; never more than {@link #MAX_RETRY_DELAY}.
     */
    static Duration retryDelay(@Nullable String retryAfter, int attempt, InstantSource clock) {
        Duration delay = FIRST_RETRY_DELAY.multipliedBy(1L << Math.min(attempt - 1, 10));
        if (retryAfter != null) {
            try {
                delay = Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.strip())));
            } catch (NumberFormatException notSeconds) {
                try {
                    delay = Duration.between(clock.instant(),
                            ZonedDateTime.parse(retryAfter.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                } catch (DateTimeParseException neither) {
                    // Keep the growing wait.
                }
            }
        }
        if (delay.isNegative()) {
            return Duration.ZERO;
        }
        return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
    }

    @Override
    public void close() {
        stopped = true;
        senders.forEach(Thread::interrupt);
        retries.shutdownNow();
        httpThreads.shutdownNow();
        int dropped = queue.size();
        queue.clear();
        outcomes.get(Outcome.DROPPED).increment(dropped);
    }
}
