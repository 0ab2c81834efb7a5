package dev.doorcast.system;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.coyote.Processor;
import org.apache.coyote.Request;
import org.apache.coyote.UpgradeToken;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's HTTP/1.1 NIO connector as doorcast runs it: every connector setting that cannot be a property is
 * here, because Tomcat takes one protocol class and two of them would silently replace each other.
 *
 * <p><b>A bound on the whole request head.</b> Tomcat's {@code connectionTimeout} bounds each read, not the
 * head: a client that sends a header line every few seconds keeps its connection, a processor and their
 * buffers for as long as it likes, and Tomcat 11 has no setting for the whole head. But it marks a request's
 * start at the head's first byte, and while a head is incomplete the connection's processor stays attached to
 * the socket, waiting for more; a processor is attached otherwise only to an async request or an upgraded
 * connection (a live stream, see below). So once a second this looks at every connection, and one whose
 * processor is neither and whose request started longer ago than the timeout is handed to Tomcat as an error
 * event: Tomcat closes it on its own path, under the socket's lock, as it does after a read timeout. Idle
 * keep-alive connections (the device's, between posts) have no processor attached and no request started; a
 * request being served has its processor taken by the thread serving it. None of these is touched.
 *
 * <p><b>A small servlet response buffer.</b> Tomcat gives every request's response a buffer of 8 KB of bytes
 * and 8 K chars (24 KB of heap), asking the protocol for the size ({@code getDesiredBufferSize}), which is why
 * this is not a setting. doorcast's answers are small JSON, the page's files and metrics, which only flush
 * more often through 1 KB; a live stream returns it with its request once its headers are out.
 *
 * <p><b>Write timeouts for live streams.</b> A live stream leaves HTTP once its headers are out (an upgraded
 * connection, {@code dev.doorcast.stream.LiveConnection}); Tomcat hands such a connection's timeouts to the
 * new protocol and sets them to infinite. doorcast's only upgraded connections are those streams, whose
 * writes must still end when a viewer stops reading, as a response's do: they get the connection timeout.
 * Their socket's kernel send buffer is fixed ({@code doorcast.stream.send-buffer}) rather than left to grow
 * with the kernel's autotuning (to 4 MB on Linux): what a viewer that stopped reading makes the kernel hold
 * is then small, and it fills, so that the viewer is found out, within seconds.
 *
 * <p>Public, with a public constructor: Tomcat creates its protocol from the class name.
 */
public class DoorcastHttpProtocol extends Http11NioProtocol {

    /** The servlet response buffer, bytes and as many chars, per request. */
    public static final int RESPONSE_BUFFER = 1024;

    private static final Logger log = LoggerFactory.getLogger(DoorcastHttpProtocol.class);

    /** doorcast.limits.request-head-timeout's default, until TomcatConfiguration sets the one configured. */
    private volatile long requestHeadTimeoutNanos = TimeUnit.SECONDS.toNanos(10);
    /** doorcast.stream.send-buffer's default, until TomcatConfiguration sets the one configured. */
    private volatile int streamSendBuffer = 128 * 1024;
    private @Nullable ScheduledFuture<?> sweep;

    /** How long a request head may take from its first byte to its blank line; set before the connector starts. */
    public void setRequestHeadTimeout(Duration timeout) {
        requestHeadTimeoutNanos = timeout.toNanos();
    }

    /** The kernel send buffer of a live stream's socket, bytes; set before the connector starts. */
    public void setStreamSendBuffer(int bytes) {
        streamSendBuffer = bytes;
    }

    @Override
    public int getDesiredBufferSize() {
        return RESPONSE_BUFFER;
    }

    @Override
    protected Processor createUpgradeProcessor(SocketWrapperBase<?> socket, UpgradeToken upgradeToken) {
        Processor processor = super.createUpgradeProcessor(socket, upgradeToken);
        socket.setWriteTimeout(getConnectionTimeout());
        if (socket.getSocket() instanceof NioChannel channel) {
            try {
                channel.getIOChannel().setOption(StandardSocketOptions.SO_SNDBUF, streamSendBuffer);
            } catch (IOException | RuntimeException e) {
                // The stream works without it, with the kernel's own sizing.
                log.debug("Could not set a stream's send buffer", e);
            }
        }
        return processor;
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
