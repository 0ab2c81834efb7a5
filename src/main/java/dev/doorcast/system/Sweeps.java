package dev.doorcast.system;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * doorcast's periodic sweeps (viewers' keep-alives, devices going offline) on one shared thread: each sweep
 * takes microseconds, so a platform thread apiece would be memory for nothing on a small machine.
 */
public final class Sweeps implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Sweeps.class);

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("doorcast-sweeps").daemon().factory());

    /** A sweep of {@code task} every {@code period}, run while the application runs (a bean to register). */
    public Sweep every(Duration period, Runnable task) {
        return new Sweep(period.toNanos(), task);
    }

    @Override
    public void destroy() {
        thread.shutdownNow();
    }

    /** One periodic task; it starts and stops with the application and can be started again (test contexts). */
    public final class Sweep implements SmartLifecycle {

        private final long periodNanos;
        private final Runnable task;
        private @Nullable ScheduledFuture<?> scheduled;

        private Sweep(long periodNanos, Runnable task) {
            this.periodNanos = Math.max(1, periodNanos);
            this.task = task;
        }

        @Override
        public synchronized void start() {
            scheduled = thread.scheduleWithFixedDelay(this::runOnce, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        }

        /** A sweep that throws is logged and the next one still runs (the executor would cancel them all). */
        private void runOnce() {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("A periodic sweep failed; it runs again in {} ms", periodNanos / 1_000_000, e);
            }
        }

        @Override
        public synchronized void stop() {
            if (scheduled != null) {
                scheduled.cancel(false);
                scheduled = null;
            }
        }

        @Override
        public synchronized boolean isRunning() {
            return scheduled != null;
        }
    }
}
