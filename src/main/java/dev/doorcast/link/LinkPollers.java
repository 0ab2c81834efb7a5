package dev.doorcast.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The threads that read the doorbells' links: one per core, two at most, each with its own selector. A link's
 * socket is registered for reading once, when it is handed over, and stays so for the link's life: a message
 * costs a wake-up of the poller and a read, not the registration, selector wake-up, monitor wait and thread
 * unpark that a read through Tomcat costs. What is read is framed and handled right there
 * ({@link LinkFrames}, {@link DoorbellLink}); nothing of it blocks. A writer whose socket is full waits here
 * too, for its socket to take more.
 *
 * <p>They start before the web server and stop after it, so that a link the server ends can still read the
 * doorbell's close frame; the links they still hold then are closed.
 */
@Component
public class LinkPollers implements SmartLifecycle {

    /** At most this many bytes read from one link per round, so that a link sending fast leaves others their turn. */
    static final int ROUND = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(LinkPollers.class);

    private final int count = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private final AtomicInteger next = new AtomicInteger();
    private volatile List<Poller> pollers = List.of();

    /** A poller for a new link, in turn; null while they are not running (the link is read through Tomcat). */
    @Nullable Poller poller() {
        List<Poller> running = pollers;
        return running.isEmpty() ? null : running.get(Math.floorMod(next.getAndIncrement(), running.size()));
    }

    /** How many sockets the pollers hold now (a closed one until its poller's next select lets it go). */
    int links() {
        int held = 0;
        for (Poller poller : pollers) {
            held += poller.selector.keys().size();
        }
        return held;
    }

    @Override
    public synchronized void start() {
        List<Poller> started = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            started.add(new Poller(i));
        }
        pollers = List.copyOf(started);
    }

    @Override
    public synchronized void stop() {
        List<Poller> running = pollers;
        pollers = List.of();
        running.forEach(Poller::stop);
    }

    @Override
    public boolean isRunning() {
        return !pollers.isEmpty();
    }

    /** After the web server (whose own phase is below the default's by 2048): links close last. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    /** One thread and its selector. */
    static final class Poller {

        private final Selector selector;
        private final Thread thread;
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        /** Where every read of this poller lands before it is framed; direct, so the JDK copies nothing more. */
        private final ByteBuffer in = ByteBuffer.allocateDirect(ROUND);
        private volatile boolean running = true;

        Poller(int number) {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException("no selector for the link poller", e);
            }
            thread = Thread.ofPlatform().daemon().name("doorcast-link-poller-" + number).start(this::run);
        }

        /** Runs {@code task} on the poller's thread, soon. */
        void execute(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        /** Registers {@code connection}'s channel for reading, on the poller's thread. */
        void register(LinkConnection connection) {
            execute(() -> connection.registered(selector, in));
        }

        boolean onPollerThread() {
            return Thread.currentThread() == thread;
        }

        private void run() {
            while (running) {
                try {
                    selector.select(this::ready);
                } catch (IOException | RuntimeException e) {
                    log.warn("Link poller: {}", e.toString());
                }
                runTasks();
            }
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof LinkConnection connection) {
                    connection.close();
                }
            }
            runTasks();
            try {
                selector.close();
            } catch (IOException e) {
                log.debug("Link poller's selector did not close", e);
            }
        }

        /** Runs what other threads asked of this poller; one that fails is logged and the others still run. */
        private void runTasks() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("Link poller task failed", e);
                }
            }
        }

        private void ready(SelectionKey key) {
            LinkConnection connection = (LinkConnection) key.attachment();
            try {
                int ready = key.readyOps();
                if ((ready & SelectionKey.OP_WRITE) != 0) {
                    connection.writable(key);
                }
                if ((ready & SelectionKey.OP_READ) != 0) {
                    connection.readable(key, in);
                }
            } catch (CancelledKeyException closed) {
                // Closed meanwhile by the link's writer: the close is done there.
            } catch (RuntimeException fault) {
                // One link's fault ends that link, not the poller and the others it reads.
                log.warn("Link poller: a link failed", fault);
                connection.close();
            }
        }

        private void stop() {
            running = false;
            selector.wakeup();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
