package dev.doorcast.system;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * How many connections each client address holds, so that one address cannot take the connections every
 * other client needs. A connection is counted against one address at a time: the socket's peer, known
 * when it is accepted, or, behind fly.io's proxy, the client the proxy names in its latest request. Each
 * step is one atomic update of one address's count; nothing here blocks.
 *
 * <p>An IPv6 client counts by its /64, the block a single subscriber gets: otherwise one machine could take
 * a new address for every connection.
 */
public final class ClientAddresses {

    /** Why a connection was closed to share the server's connections out. */
    public enum Closed {
        /** Its address held its cap of connections already. */
        ADDRESS_FULL,
        /** Its address was sending more request heads at once than it may. */
        TOO_MANY_HEADS,
        /** Idle, while the server neared its limit of connections. */
        IDLE;

        /** The name of its {@code reason} tag. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Closed, LongAdder> closed = new EnumMap<>(Closed.class);
    private final int maxPerAddress;
    private final Map<Object, String> byConnection = new ConcurrentHashMap<>();
    private final CappedCounts perAddress = new CappedCounts();

    /** The key a connection is counted under behind a proxy, from its Tomcat connection id. */
    public static String connectionKey(String connectionId) {
        return "connection:" + connectionId;
    }

    /** @param maxPerAddress connections one address may hold at once; 0 for no cap (then nothing is counted) */
    public ClientAddresses(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
        for (Closed why : Closed.values()) {
            closed.put(why, new LongAdder());
        }
    }

    /** Counts connections closed (or, behind a proxy, answered 503 and closed) for {@code why}. */
    public void closed(Closed why, long count) {
        closed.get(why).add(count);
    }

    /** Connections closed for {@code why} since start. */
    public long closedSinceStart(Closed why) {
        return closed.get(why).sum();
    }

    /** Whether addresses are capped at all. */
    public boolean capped() {
        return maxPerAddress > 0;
    }

    /** The cap of connections per address. */
    public int maxPerAddress() {
        return maxPerAddress;
    }

    /**
     * Counts {@code connection} against {@code address} unless that address holds its cap already; a
     * connection counted against another address before moves. Returns false at the cap, counting the
     * connection as closed for {@link Closed#ADDRESS_FULL}: the caller closes it.
     */
    public boolean admit(Object connection, String address) {
        if (!capped()) {
            return true;
        }
        String before = byConnection.get(connection);
        if (address.equals(before)) {
            return true;
        }
        boolean taken = perAddress.take(address, maxPerAddress);
        if (taken) {
            byConnection.put(connection, address);
            if (before != null) {
                perAddress.give(before);
            }
        } else {
            closed(Closed.ADDRESS_FULL, 1);
        }
        return taken;
    }

    /** Forgets a connection that closed; nothing happens for one never counted or already forgotten. */
    public void release(Object connection) {
        String address = byConnection.remove(connection);
        if (address != null) {
            perAddress.give(address);
        }
    }

    /** The address a connection is counted against, or null if none. */
    public @Nullable String addressOf(Object connection) {
        return byConnection.get(connection);
    }

    /** Connections {@code address} holds right now. */
    public int connections(String address) {
        return perAddress.of(address);
    }

    /** Addresses holding at least one connection. */
    int addresses() {
        return perAddress.keys();
    }

    /**
     * The key an address counts under: the address itself for IPv4, its /64 for IPv6; null for the machine
     * itself (127.0.0.1, ::1), which is never capped: a proxy on the same machine would make every client
     * that one address, and nobody elsewhere can connect from it.
     */
    public static @Nullable String keyOf(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address.isLoopbackAddress() && (bytes.length == 16 || bytes[3] == 1 && bytes[1] == 0 && bytes[2] == 0)) {
            return null;
        }
        if (address instanceof Inet6Address) {
            Arrays.fill(bytes, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return address.getHostAddress();
    }

    /**
     * The key of an address given as text (a proxy's header), or null if it is no IP address literal:
     * never looked up in DNS.
     */
    public static @Nullable String keyOf(String literal) {
        String text = literal.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            return keyOf(InetAddress.ofLiteral(text));
        } catch (IllegalArgumentException notAnAddress) {
            return null;
        }
    }
}
