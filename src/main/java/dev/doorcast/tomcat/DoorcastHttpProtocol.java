package dev.doorcast.tomcat;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import dev.doorcast.system.ClientAddresses;
import org.apache.coyote.Processor;
import org.apache.coyote.Request;
import org.apache.coyote.UpgradeToken;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
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
 * request being served has its processor taken by the thread serving it. None of these is touched by this
 * bound.
 *
 * <p><b>A small servlet response buffer.</b> Tomcat gives every request's response a buffer of 8 KB of bytes
 * and 8 K chars (24 KB of heap), asking the protocol for the size ({@code getDesiredBufferSize}), which is why
 * this is not a setting. doorcast's answers are small JSON, the page's files and metrics, which only flush
 * more often through 1 KB; a live stream returns it with its request once its headers are out.
 *
 * <p><b>Write timeouts for live streams.</b> A live stream leaves HTTP once its headers are out (an upgraded
 * connection, {@link StreamConnection}); Tomcat hands such a connection's timeouts to the
 * new protocol and sets them to infinite. doorcast's only upgraded connections are those streams, whose
 * writes must still end when a viewer stops reading, as a response's do: they get the connection timeout.
 * Their socket's kernel send buffer is fixed ({@code doorcast.stream.send-buffer}) rather than left to grow
 * with the kernel's autotuning (to 4 MB on Linux): what a viewer that stopped reading makes the kernel hold
 * is then small, and it fills, so that the viewer is found out, within seconds.
 *
 * <p><b>Connections shared fairly by address.</b> Tomcat's {@code maxConnections} is one pool for everyone:
 * a single client holding idle keep-alive connections (a small request every minute keeps one) fills it,
 * and every other client, the doorbell among them, waits in the accept queue until it gives up. So:
 * <ul>
 * <li>Each client address holds at most {@code doorcast.limits.max-connections-per-address} connections
 * ({@link ClientAddresses}). With the socket's peer as the address, it is counted as the connection is
 * accepted, before a byte of it is read, and one past the cap is closed at once: a few atomic operations
 * on the acceptor thread, no buffers, no processor. Behind fly.io's proxy every connection comes from the
 * proxy, so the client it names is known only from a request's head; {@link ProxiedClientFilter} counts
 * the connection then, and this class only forgets it when it closes.
 * <li>Each peer address has at most {@code doorcast.limits.max-heads-per-address} request heads in progress
 * (the costly state of a connection, see above); the sweep closes the newest past that.
 * <li>When the connections reach {@code doorcast.limits.idle-connections-give-way-at} percent of
 * {@code maxConnections}, the sweep closes idle keep-alive connections, longest idle first, until they are
 * under it again: a connection with no request in progress, no stream, that has read and written nothing
 * for a second. Such a client loses nothing it is using: its next request opens a new connection (one
 * sent at the very moment of the close fails, as after Tomcat's own keep-alive timeout). The sweep also
 * runs at once when an accepted connection reaches the mark, rather than at the next second.
 * </ul>
 *
 * <p>Public, with a public constructor: Tomcat creates its protocol from the class name.
 */
public class DoorcastHttpProtocol extends Http11NioProtocol {

    /** How long a keep-alive connection must have been quiet before it may be closed to make room. */
    static final long MIN_IDLE_MILLIS = 1000;

    /** The servlet response buffer, bytes and as many chars, per request. */
    public static final int RESPONSE_BUFFER = 1024;

    private static final Logger log = LoggerFactory.getLogger(DoorcastHttpProtocol.class);

    /** doorcast.http.request-head-timeout's default, until TomcatConfiguration sets the one configured. */
    private volatile long requestHeadTimeoutNanos = TimeUnit.SECONDS.toNanos(10);
    /** doorcast.stream.send-buffer's default, until TomcatConfiguration sets the one configured. */
    private volatile int streamSendBuffer = 128 * 1024;
    private volatile int maxHeadsPerAddress;
    private volatile int giveWayPercent = 100;
    private volatile ClientAddresses addresses = new ClientAddresses(0);
    private volatile boolean addressFromPeer = true;
    private final ReentrantLock sweeping = new ReentrantLock();
    private final AtomicBoolean sweepAsked = new AtomicBoolean();
    private @Nullable ScheduledFuture<?> sweep;

    public DoorcastHttpProtocol() {
        super(new CountingEndpoint());
        ((CountingEndpoint) getEndpoint()).protocol = this;
        AbstractEndpoint.Handler<NioChannel> handler = getEndpoint().getHandler();
        getEndpoint().setHandler(new ForgettingHandler(handler));
    }

    /** How long a request head may take from its first byte to its blank line; set before the connector starts. */
    public void setRequestHeadTimeout(Duration timeout) {
        requestHeadTimeoutNanos = timeout.toNanos();
    }

    /** The kernel send buffer of a live stream's socket, bytes; set before the connector starts. */
    public void setStreamSendBuffer(int bytes) {
        streamSendBuffer = bytes;
    }

    /**
     * The connections per address and who counts them; with {@code fromPeer} the socket's peer address is
     * counted on accept, else a proxy's header is, by {@link ProxiedClientFilter}.
     */
    public void setClientAddresses(ClientAddresses addresses, boolean fromPeer) {
        this.addresses = addresses;
        this.addressFromPeer = fromPeer;
    }

    /** Request heads one peer address may have in progress at once; 0 for no cap. */
    public void setMaxHeadsPerAddress(int max) {
        maxHeadsPerAddress = max;
    }

    /** At what percentage of {@code maxConnections} idle keep-alive connections are closed; 100 for never. */
    public void setIdleConnectionsGiveWayAt(int percent) {
        giveWayPercent = percent;
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
        sweep = getUtilityExecutor().scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() throws Exception {
        if (sweep != null) {
            sweep.cancel(false);
        }
        super.stop();
    }

    /** Runs the sweep soon on the utility executor, once however often it is asked before it runs. */
    private void askForSweep() {
        if (sweepAsked.compareAndSet(false, true)) {
            getUtilityExecutor().execute(this::sweep);
        }
    }

    /** Where idle keep-alive connections start to give way: a number of connections; MAX_VALUE for never. */
    private long giveWayMark() {
        int max = getEndpoint().getMaxConnections();
        return max <= 0 || giveWayPercent >= 100 ? Long.MAX_VALUE : Math.max(1, (long) max * giveWayPercent / 100);
    }

    private void sweep() {
        sweepAsked.set(false);
        // One sweep at a time: the scheduled one and one asked for by an accept may meet.
        if (!sweeping.tryLock()) {
            return;
        }
        // An exception would end the schedule, and with it the bounds.
        try {
            AbstractEndpoint<NioChannel, ?> endpoint = getEndpoint();
            long now = System.nanoTime();
            long nowMillis = System.currentTimeMillis();
            long mark = giveWayMark();
            boolean crowded = endpoint.getConnectionCount() >= mark;
            int maxHeads = addressFromPeer ? maxHeadsPerAddress : 0;
            // Each with the time it is sorted by, taken once: the connections go on changing meanwhile.
            Map<String, List<Timed>> heads = new HashMap<>();
            List<Timed> idle = new ArrayList<>();
            for (SocketWrapperBase<NioChannel> connection : endpoint.getConnections()) {
                long started = headStartedAt(connection);
                if (started != -1 && started - (now - requestHeadTimeoutNanos) < 0) {
                    log.debug("Closing a connection from {} whose request head took longer than {} ms",
                            connection.getRemoteAddr(), TimeUnit.NANOSECONDS.toMillis(requestHeadTimeoutNanos));
                    endpoint.processSocket(connection, SocketEvent.ERROR, true);
                } else if (started != -1 && maxHeads > 0) {
                    String address = connection.getRemoteAddr();
                    String key = address == null ? null : ClientAddresses.keyOf(address);
                    if (key != null) {
                        heads.computeIfAbsent(key, k -> new ArrayList<>()).add(new Timed(connection, started));
                    }
                } else if (crowded && connection instanceof NioEndpoint.NioSocketWrapper nio
                        && isIdle(nio, nowMillis)) {
                    idle.add(new Timed(nio, lastActive(nio)));
                }
            }
            heads.forEach((address, inProgress) -> {
                if (inProgress.size() > maxHeads) {
                    inProgress.sort(Comparator.comparingLong(Timed::at));
                    log.debug("Closing {} request heads in progress from {}, past its {}",
                            inProgress.size() - maxHeads, address, maxHeads);
                    for (Timed newer : inProgress.subList(maxHeads, inProgress.size())) {
                        endpoint.processSocket(newer.connection(), SocketEvent.ERROR, true);
                    }
                    addresses.closed(ClientAddresses.Closed.TOO_MANY_HEADS, inProgress.size() - maxHeads);
                }
            });
            if (crowded) {
                long excess = endpoint.getConnectionCount() - mark + 1;
                int closing = (int) Math.min(Math.max(excess, 0), idle.size());
                if (closing > 0) {
                    idle.sort(Comparator.comparingLong(Timed::at));
                    log.debug("{} connections, at the mark of {}: closing {} idle keep-alive connections",
                            endpoint.getConnectionCount(), mark, closing);
                    for (Timed quiet : idle.subList(0, closing)) {
                        endpoint.processSocket(quiet.connection(), SocketEvent.ERROR, true);
                    }
                    addresses.closed(ClientAddresses.Closed.IDLE, closing);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not sweep the connections", e);
        } finally {
            sweeping.unlock();
        }
    }

    /** A connection and the time it is sorted by. */
    private record Timed(SocketWrapperBase<NioChannel> connection, long at) {
    }

    /**
     * Whether the connection waits for a next request and has read and written nothing for a while: no
     * processor (a head in progress, an async request or a stream has one), read interest registered (a
     * request being served has none while its thread holds it).
     */
    private static boolean isIdle(NioEndpoint.NioSocketWrapper connection, long nowMillis) {
        return connection.getCurrentProcessor() == null && connection.interestOpsHas(SelectionKey.OP_READ)
                && !connection.isClosed() && nowMillis - lastActive(connection) >= MIN_IDLE_MILLIS;
    }

    private static long lastActive(NioEndpoint.NioSocketWrapper connection) {
        return Math.max(connection.getLastRead(), connection.getLastWrite());
    }

    /**
     * When the request head the connection is waiting for the rest of began ({@link System#nanoTime()}), or
     * -1 if it is waiting for none.
     */
    private static long headStartedAt(SocketWrapperBase<?> connection) {
        if (!(connection.getCurrentProcessor() instanceof Processor processor)
                || processor.isAsync() || processor.isUpgrade()) {
            return -1;
        }
        Request request = processor.getRequest();
        return request == null ? -1 : request.getStartTimeNanos();
    }

    /** Counts each accepted connection against its peer address, closing it at once if that address is full. */
    private static final class CountingEndpoint extends NioEndpoint {

        private @Nullable DoorcastHttpProtocol protocol;

        @Override
        protected boolean setSocketOptions(SocketChannel socket) {
            DoorcastHttpProtocol owner = protocol;
            if (owner == null) {
                return super.setSocketOptions(socket);
            }
            ClientAddresses addresses = owner.addresses;
            if (owner.addressFromPeer && addresses.capped()) {
                String address = peer(socket);
                if (address != null && !addresses.admit(socket, address)) {
                    log.debug("Refusing a connection from {}: it holds {} already", address,
                            addresses.maxPerAddress());
                    destroySocket(socket);
                    return false;
                }
            }
            if (!super.setSocketOptions(socket)) {
                addresses.release(socket);
                return false;
            }
            if (getConnectionCount() >= owner.giveWayMark()) {
                owner.askForSweep();
            }
            return true;
        }

        private static @Nullable String peer(SocketChannel socket) {
            try {
                return socket.getRemoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null
                        ? ClientAddresses.keyOf(remote.getAddress()) : null;
            } catch (IOException closed) {
                return null;
            }
        }
    }

    /** Tomcat's handler, which also forgets a closing connection's place in its address's count. */
    private final class ForgettingHandler implements AbstractEndpoint.Handler<NioChannel> {

        private final AbstractEndpoint.Handler<NioChannel> tomcat;

        ForgettingHandler(AbstractEndpoint.Handler<NioChannel> tomcat) {
            this.tomcat = tomcat;
        }

        @Override
        public SocketState process(SocketWrapperBase<NioChannel> socket, SocketEvent status) {
            return tomcat.process(socket, status);
        }

        @Override
        public Object getGlobal() {
            return tomcat.getGlobal();
        }

        @Override
        public void release(SocketWrapperBase<NioChannel> socketWrapper) {
            try {
                tomcat.release(socketWrapper);
            } finally {
                // Called once per connection, before its channel is reset: the socket is still the one accepted.
                SocketChannel channel = socketWrapper.getSocket().getIOChannel();
                if (addressFromPeer && channel != null) {
                    addresses.release(channel);
                } else if (!addressFromPeer && addresses.capped()) {
                    addresses.release(ClientAddresses.connectionKey(
                            socketWrapper.getServletConnection("", "").getConnectionId()));
                }
            }
        }

        @Override
        public void pause() {
            tomcat.pause();
        }

        @Override
        public void recycle() {
            tomcat.recycle();
        }
    }
}
