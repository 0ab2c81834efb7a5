package dev.doorcast.system;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.coyote.Processor;
import org.apache.coyote.Request;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's HTTP/1.1 NIO connector, plus a bound on the time a whole request head may take to arrive.
 *
 * <p>Tomcat's {@code connectionTimeout} bounds each read, not the head: a client that sends a header line
 * every few seconds keeps its connection, a processor and their buffers for as long as it likes, and Tomcat
 * 11 has no setting for the whole head. But it marks a request's start at the head's first byte, and while
 * a head is incomplete the connection's processor stays attached to the socket, waiting for more; a
 * processor is attached otherwise only to a stream (async) or an upgraded connection. So once a second this
 * looks at every connection, and one whose processor is neither and whose request started longer ago than
 * the timeout is handed to Tomcat as an error event: Tomcat closes it on its own path, under the socket's
 * lock, as it does after a read timeout.
 *
 * <p>Idle keep-alive connections (the device's, between posts) have no processor attached and no request
 * started; streams are async; a request being served has its processor taken by the thread serving it.
 * None of these is touched.
 *
 * <p>Public, with a public constructor: Tomcat creates its protocol from the class name.
 */
public class HeadTimeoutProtocol extends Http11NioProtocol {

    private static final Logger log = LoggerFactory.getLogger(HeadTimeoutProtocol.class);

    /** doorcast.limits.request-head-timeout's default, until TomcatConfiguration sets the one configured. */
    private volatile long requestHeadTimeoutNanos = TimeUnit.SECONDS.toNanos(10);
    private @Nullable ScheduledFuture<?> sweep;

    /** How long a request head may take from its first byte to its blank line; set before the connector starts. */
    public void setRequestHeadTimeout(Duration timeout) {
        requestHeadTimeoutNanos = timeout.toNanos();
    }

    @Override
    public void start() throws Exception {
        super.start();
        sweep = getUtilityExecutor().scheduleWithFixedDelay(this::closeSlowHeads, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() throws Exception {
        if (sweep != null) {
            sweep.cancel(false);
        }
        super.stop();
    }

    private void closeSlowHeads() {
        // An exception would end the schedule, and with it the bound.
        try {
            AbstractEndpoint<NioChannel, ?> endpoint = getEndpoint();
            long now = System.nanoTime();
            for (SocketWrapperBase<NioChannel> connection : endpoint.getConnections()) {
                if (headStartedBefore(connection, now - requestHeadTimeoutNanos)) {
                    log.debug("Closing a connection from {} whose request head took longer than {} ms",
                            connection.getRemoteAddr(), TimeUnit.NANOSECONDS.toMillis(requestHeadTimeoutNanos));
                    endpoint.processSocket(connection, SocketEvent.ERROR, true);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not look for slow request heads", e);
        }
    }

    /** Whether the connection is waiting for the rest of a request head whose first byte came before {@code deadline}. */
    private static boolean headStartedBefore(SocketWrapperBase<?> connection, long deadline) {
        if (!(connection.getCurrentProcessor() instanceof Processor processor)
                || processor.isAsync() || processor.isUpgrade()) {
            return false;
        }
        Request request = processor.getRequest();
        long started = request == null ? -1 : request.getStartTimeNanos();
        return started != -1 && started - deadline < 0;
    }
}
