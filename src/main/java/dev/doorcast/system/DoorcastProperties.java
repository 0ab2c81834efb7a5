package dev.doorcast.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of doorcast, under the prefix {@code doorcast}. Defaults live here, not in YAML, so
 * that the record is the one reference for what can be set.
 */
@Validated
@ConfigurationProperties("doorcast")
public record DoorcastProperties(
        @Valid @DefaultValue Buffer buffer,
        @Valid @DefaultValue Limits limits,
        @Valid @DefaultValue Security security,
        @Valid @DefaultValue Stream stream,
        @Valid @DefaultValue Demo demo,
        @Valid @DefaultValue Cors cors,
        @Valid @DefaultValue Relay relay,
        @Valid @DefaultValue Rings rings,
        @Valid @DefaultValue Link link,
        @Valid @DefaultValue Storage storage,
        @Valid @DefaultValue Mqtt mqtt,
        @Valid @DefaultValue Push push,
        @Valid @DefaultValue Http http,
        @Valid @DefaultValue Presence presence,
        @DefaultValue Map<String, @Valid Device> devices) {

    /** The device the original API's URLs serve, and whose token is {@code doorcast.security.device-token}. */
    public static final String DEFAULT_DEVICE = "doorbell";

    /** What the viewer page calls the default device unless {@code doorcast.devices.doorbell.name} is set. */
    public static final String DEFAULT_DEVICE_NAME = "Front door";

    /** Every device's id, the default first. */
    public List<String> deviceIds() {
        List<String> ids = new ArrayList<>();
        ids.add(DEFAULT_DEVICE);
        devices.keySet().stream().filter(id -> !id.equals(DEFAULT_DEVICE)).sorted().forEach(ids::add);
        return ids;
    }

    /** The name the viewer page shows for {@code id}: the configured one, else the default's or the id. */
    public String deviceName(String id) {
        Device device = devices.get(id);
        if (device != null && device.name() != null && !device.name().isBlank()) {
            return device.name();
        }
        return id.equals(DEFAULT_DEVICE) ? DEFAULT_DEVICE_NAME : id;
    }

    /**
     * One more doorbell, {@code doorcast.devices.<id>.token} (env {@code DOORCAST_DEVICES_<ID>_TOKEN}); its
     * token is its identity: what it posts lands in its own channel, whatever {@code device_id} it sends.
     *
     * @param token the device's bearer token; for the default device, this or
     *     {@code doorcast.security.device-token}, not both (that one stays, so that a server with one
     *     doorbell needs no {@code devices} entry)
     * @param name what the viewer page calls the device ("Front door" for the default device, else its id)
     * @param viewerToken when set, opens this device's streams, snapshot and stats and nothing of another
     *     device (a household's own key on a server shared by several); the instance-wide
     *     {@code doorcast.security.viewer-token} still opens every device
     */
    public record Device(@Nullable String token, @Nullable String name, @Nullable String viewerToken) {
    }

    /**
     * The in-memory rings.
     *
     * @param frames how many recent camera frames are kept (6 s at 5 fps)
     * @param audioChunks how many recent audio chunks are kept (6.4 s of 64 ms chunks)
     * @param syncWindow how far apart in time a frame and an audio timestamp may be and still match
     * @param maxMemory what every device's frames, audio chunks and ring clips may hold together, counted in
     *     their bytes; past it the device holding the most gives back its oldest first (a ring's clip, then
     *     frames). When unset, a quarter of the heap ({@code -Xmx})
     */
    public record Buffer(
            @DefaultValue("30") @Min(1) @Max(10_000) int frames,
            @DefaultValue("100") @Min(1) @Max(100_000) int audioChunks,
            @DefaultValue("500ms") Duration syncWindow,
            @Nullable DataSize maxMemory) {

        /** The share of the heap the buffers may hold when {@code max-memory} is unset. */
        public static final double HEAP_SHARE = 0.25;

        public Buffer {
            if (maxMemory != null && maxMemory.toBytes() < 1) {
                throw new InvalidSettingException("doorcast.buffer.max-memory",
                        "The buffers' memory budget is " + maxMemory + ".",
                        "Set it to at least 1B, or leave it unset for a quarter of the heap.");
            }
        }

        /** {@code max-memory} in bytes, or the heap's share when it is unset. */
        public long maxMemoryBytes() {
            return maxMemory != null ? maxMemory.toBytes() : (long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE);
        }
    }

    /**
     * Bounds on what devices and viewers may do.
     *
     * @param maxFrameSize largest JPEG frame accepted; larger is answered 413
     * @param maxAudioChunkSize largest audio chunk accepted; larger is answered 413
     * @param maxViewers how many camera viewers and audio listeners may be connected at once, together;
     *     past that a new one is answered 503
     * @param maxDeviceFps frames per second a device may post, sustained (bursts of a second's worth are
     *     allowed); past that 429 with Retry-After. Audio may come at up to 4x real time.
     * @param maxStreamsPerClient how many streams one access link, or with viewer access off one client
     *     address, may hold at once; past that 503 with Retry-After. 0 for no cap. Viewer tokens are not
     *     capped
     * @param reservedViewers streams of {@code max-viewers} kept for viewer tokens when viewer access is on:
     *     links get at most {@code max-viewers} minus this, so that no link can lock the household out. With
     *     households' tokens beside the owner's, they are the owner's token's alone; and as many of each
     *     household's share are kept for that household's token, which its links never take
     * @param maxStreamsPerHousehold how many streams one household (its viewer token,
     *     {@code doorcast.devices.<id>.viewer-token}, and every link to its doorbell, together) may hold at
     *     once; past that 503 with Retry-After. 0 (the default) for an equal share: {@code max-viewers} less
     *     the owner's {@code reserved-viewers}, divided by the number of households, so that no household
     *     can lock out the owner or another household. The owner's own token is never capped
     * @param maxConnectionsPerAddress how many connections one client address (an IPv6 client's /64) may hold
     *     at once, streams included; one more is closed as it is accepted (behind fly.io's proxy: answered
     *     503 and closed). 0 for no cap
     * @param maxHeadsPerAddress how many request heads one client address may be sending at once; past that
     *     the newest are closed. 0 for no cap. Not applied behind a proxy, whose heads come whole
     * @param idleConnectionsGiveWayAt at this percentage of {@code server.tomcat.max-connections}, idle
     *     keep-alive connections (no request, no stream, quiet for a second) are closed, longest idle first,
     *     to make room; 100 for never
     * @param clientAddress what a connection's client address is: {@code peer}, the socket's (the default),
     *     or {@code fly-proxy}, the one fly.io's proxy reports ({@code Fly-Client-IP}, else the last
     *     {@code X-Forwarded-For} entry). Only behind that proxy: a server reached directly would believe
     *     whatever a client wrote in those headers
     */
    public record Limits(
            @DefaultValue("256KB") DataSize maxFrameSize,
            @DefaultValue("16KB") DataSize maxAudioChunkSize,
            @DefaultValue("10000") @Min(1) int maxViewers,
            @DefaultValue("30") @Min(1) @Max(1000) int maxDeviceFps,
            @DefaultValue("6") @Min(0) int maxStreamsPerClient,
            @DefaultValue("4") @Min(0) int reservedViewers,
            @DefaultValue("0") @Min(0) int maxStreamsPerHousehold,
            @DefaultValue("50") @Min(0) int maxConnectionsPerAddress,
            @DefaultValue("8") @Min(0) int maxHeadsPerAddress,
            @DefaultValue("90") @Min(1) @Max(100) int idleConnectionsGiveWayAt,
            @DefaultValue("peer") ClientAddress clientAddress) {
    }

    /** Where a connection's client address comes from. */
    public enum ClientAddress {
        /** The socket's peer: the server is reached directly (or through a proxy that keeps addresses). */
        PEER,
        /** What fly.io's proxy reports, in {@code Fly-Client-IP} or {@code X-Forwarded-For}. */
        FLY_PROXY
    }

    /**
     * Who may post and who may watch.
     *
     * @param deviceToken the doorbell's bearer token (env {@code DOORCAST_SECURITY_DEVICE_TOKEN}); required
     *     unless the simulated doorbell is on, in which case a random one is made for it
     * @param viewerToken when set, the stream and stats endpoints need it, as a bearer token or through a
     *     signed access link made with it; it must differ from the device token
     * @param requireViewerToken refuse to start without a viewer token (the {@code prod} profile sets it)
     * @param accessTtl how long a signed access link is good for; a stream opened with it ends when it expires
     * @param linkSecret the key access links are signed with (at least 16 characters); rotating it revokes
     *     every link. When unset: derived from {@code doorcast.relay.secret} with the Redis relay, so that
     *     every instance takes every link, else a random key made at start (links then end with the process)
     * @param metricsToken a bearer token that opens {@code /actuator/prometheus} and the health details and
     *     nothing else, for Prometheus; the instance-wide viewer token opens them too
     */
    public record Security(
            @Nullable String deviceToken,
            @Nullable String viewerToken,
            @DefaultValue("false") boolean requireViewerToken,
            @DefaultValue("15m") Duration accessTtl,
            @Nullable String linkSecret,
            @Nullable String metricsToken) {
    }

    /**
     * Browsers on other sites that may read the API with JavaScript ({@code fetch}); an {@code <img>} tag
     * needs no CORS.
     *
     * @param allowedOrigins origins such as {@code https://home.example.com}; none by default
     */
    public record Cors(@DefaultValue List<String> allowedOrigins) {
    }

    /**
     * How streams behave.
     *
     * @param keepAlive how long a camera viewer may go without a part before the latest frame is sent
     *     again; keeps browsers showing the picture and finds viewers that went away
     * @param socketWriteBuffer Tomcat's per-connection socket write buffer, which every connection holds for
     *     its whole life: answers (JSON, the page, snapshots) go out in slices of this size; live streams write
     *     past it, each part whole
     * @param sendBuffer the kernel's send buffer for a live stream's socket ({@code SO_SNDBUF}, which Linux
     *     doubles): the most a viewer that stopped reading can make the kernel hold for it until it is dropped,
     *     and with the round-trip time the fastest a stream can go (128 KB: 2.6 MB/s at 100 ms)
     */
    public record Stream(
            @DefaultValue("1s") Duration keepAlive,
            @DefaultValue("2KB") DataSize socketWriteBuffer,
            @DefaultValue("128KB") DataSize sendBuffer) {
    }

    /**
     * The simulated doorbell for local runs.
     *
     * @param enabled post moving frames and a tone through the device endpoints
     * @param fps frames per second it posts
     * @param ringEvery how often it rings the doorbell, the first time a few seconds after start; 0 for never
     */
    public record Demo(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("5") @Min(1) @Max(60) int fps,
            @DefaultValue("60s") Duration ringEvery) {
    }

    /**
     * Sharing live streams between instances.
     *
     * @param type {@code local} (one instance, nothing else contacted) or {@code redis} (instances relay
     *     through the Redis of {@code spring.data.redis.url})
     * @param latestFrameTtl how long Redis keeps the newest frame for viewers joining on another instance
     * @param reconnectDelay how soon to try Redis again after losing it
     * @param secret the key every relayed message is signed with (env {@code DOORCAST_RELAY_SECRET}), the
     *     same on every instance, at least 16 characters ({@code openssl rand -hex 32} makes a good one);
     *     required with {@code redis}: a message without its signature is dropped, so whoever can write to
     *     the Redis cannot show viewers anything
     */
    public record Relay(
            @DefaultValue("local") RelayType type,
            @DefaultValue("10s") Duration latestFrameTtl,
            @DefaultValue("1s") Duration reconnectDelay,
            @Nullable String secret) {
    }

    /**
     * What is kept of each doorbell ring, and how often a device may ring.
     *
     * @param keep how many rings each device keeps, with their pictures and clips, in memory, in front of the
     *     store; the oldest goes first
     * @param clipBefore how much of the time before a ring its clip shows (from the frames still in the frame
     *     ring, so at most {@code buffer.frames} of them)
     * @param clipAfter how long after a ring the frames that arrive join its clip
     * @param maxClipFrames most frames one clip holds, at most half of them from before the ring; rings take at
     *     worst {@code keep} x this x {@code limits.max-frame-size} of memory per device
     * @param burst rings a device may send in a row before it is slowed down (a visitor pressing again and
     *     again is never refused)
     * @param refill past the burst, one more ring each this long; faster is answered 429 with Retry-After
     * @param keepFor how long the store keeps a ring, its picture and clip
     * @param maxStorage most the stored rings' pictures and clips may take together; past it the oldest go
     */
    public record Rings(
            @DefaultValue("10") @Min(1) @Max(1000) int keep,
            @DefaultValue("3s") Duration clipBefore,
            @DefaultValue("3s") Duration clipAfter,
            @DefaultValue("45") @Min(2) @Max(10_000) int maxClipFrames,
            @DefaultValue("5") @Min(1) int burst,
            @DefaultValue("1s") Duration refill,
            @DefaultValue("30d") @DurationMin(seconds = 1) Duration keepFor,
            @DefaultValue("256MB") DataSize maxStorage) {
    }

    /**
     * The doorbell's link: one WebSocket that carries its frames, audio and rings up and its speaker's audio
     * and the server's notices down.
     *
     * @param pingEvery how often the server pings a link; the round trip in the stats comes from the pongs
     * @param silence a link that sends nothing for this long, not even a pong, is closed
     */
    public record Link(
            @DefaultValue("5s") Duration pingEvery,
            @DefaultValue("15s") Duration silence) {
    }

    /**
     * The store that keeps rings and push subscriptions across restarts.
     *
     * @param path the folder of the embedded database file, used unless {@code spring.datasource.url} names
     *     another database; a volume in production
     */
    public record Storage(@DefaultValue("./data") String path) {
    }

    /**
     * Telling Home Assistant (or anything else on an MQTT broker) of each doorbell: its rings, whether it is
     * online, the picture of its last ring, with Home Assistant's MQTT discovery. Off unless {@code url} is
     * set; doorcast publishes only and subscribes to no command.
     *
     * @param url the broker, {@code tcp://host:port} or {@code ssl://host:port} (TLS, the server's certificate
     *     checked against the JVM's trust store and its name); unset, no broker is ever contacted
     * @param username the broker user, if it wants one
     * @param password that user's password (env {@code DOORCAST_MQTT_PASSWORD}); never logged
     * @param clientId the client id doorcast connects with; unset, {@code doorcast-} and a random suffix
     *     made at start (every instance needs its own: a broker drops the older of two alike)
     * @param topicPrefix the first level of doorcast's own topics: {@code <prefix>/<device>/ring}, ...,
     *     {@code <prefix>/status}
     * @param discoveryPrefix Home Assistant's discovery prefix, where the entities' configs go
     * @param reconnectDelay how soon to try the broker again after losing it or failing to reach it
     * @param queue how many messages may wait for the broker, and how many may be sent and not yet
     *     acknowledged; past it (a broker that is slow or gone) a message is dropped and counted, never waited
     *     for. The client copies each picture it sends until it is acknowledged: at worst this many frames
     */
    public record Mqtt(
            @Nullable String url,
            @Nullable String username,
            @Nullable String password,
            @Nullable String clientId,
            @DefaultValue("doorcast") String topicPrefix,
            @DefaultValue("homeassistant") String discoveryPrefix,
            @DefaultValue("5s") Duration reconnectDelay,
            @DefaultValue("64") @Min(1) @Max(10_000) int queue) {

        /** A host name, an IPv4 address or a bracketed IPv6 address, and a port: nothing else, no user info. */
        private static final Pattern URL =
                Pattern.compile("(?:tcp|ssl)://(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+]):([0-9]{1,5})");
        /** One or more topic levels: no wildcard, no empty level, no leading or trailing slash. */
        private static final Pattern TOPIC = Pattern.compile("[^/+#\\u0000]+(/[^/+#\\u0000]+)*");

        public Mqtt {
            if (url != null && !url.isBlank()) {
                Matcher form = URL.matcher(url);
                int port = form.matches() ? Integer.parseInt(form.group(1)) : 0;
                if (port < 1 || port > 65_535) {
                    // Whatever precedes an '@' may be a password written into the address.
                    throw new InvalidSettingException("doorcast.mqtt.url",
                            "'" + url.replaceAll("//[^/]*@", "//***@") + "' is not an MQTT broker address.",
                            "Write it as tcp://host:port or ssl://host:port (e.g. tcp://homeassistant.local:1883); "
                                    + "the user and password go in doorcast.mqtt.username and doorcast.mqtt.password.");
                }
            }
            checkTopic("doorcast.mqtt.topic-prefix", topicPrefix);
            checkTopic("doorcast.mqtt.discovery-prefix", discoveryPrefix);
            if (clientId != null && (clientId.isBlank() || clientId.length() > 64)) {
                throw new InvalidSettingException("doorcast.mqtt.client-id", "The MQTT client id is blank or too long.",
                        "Give it 1 to 64 characters, or leave it unset for a random one.");
            }
            if (reconnectDelay.isNegative() || reconnectDelay.isZero()) {
                throw new InvalidSettingException("doorcast.mqtt.reconnect-delay",
                        "The MQTT reconnect delay is " + reconnectDelay + ".", "Set it to more than 0, e.g. 5s.");
            }
        }

        private static void checkTopic(String setting, String topic) {
            if (!TOPIC.matcher(topic).matches() || topic.startsWith("$")) {
                throw new InvalidSettingException(setting, "'" + topic + "' cannot begin an MQTT topic.",
                        "Use one or more levels separated by '/', with no '+' or '#', no empty level and no '$' "
                                + "at the start.");
            }
        }

        /** Whether MQTT is on. */
        public boolean enabled() {
            return url != null && !url.isBlank();
        }

        /** Never the password: a record's own toString would put it in whatever logs the settings. */
        @Override
        public String toString() {
            return "Mqtt[url=" + url + ", username=" + username + ", password=" + (password == null ? null : "***")
                    + ", clientId=" + clientId + ", topicPrefix=" + topicPrefix + ", discoveryPrefix="
                    + discoveryPrefix + ", reconnectDelay=" + reconnectDelay + ", queue=" + queue + "]";
        }
    }

    /**
     * Web Push: a ring reaches the phones that subscribed, through their browser's push service.
     *
     * @param subject the VAPID {@code sub} claim, {@code mailto:you@example.com} or an {@code https:} URL: whom
     *     a push service may contact about this server's pushes. Checked at start; when unset the pushes carry
     *     none, which Apple's push service refuses
     * @param vapidPrivateKey the VAPID private key, the raw 32-byte P-256 scalar in base64url (the format of
     *     the web-push libraries' {@code privateKey}); when unset, a key pair is made once and kept in the
     *     store, so that every instance sharing the store signs with it
     * @param allowedEndpoints URL prefixes a subscription's endpoint must start with: the server POSTs to
     *     whatever a subscriber hands it, so only the push services named here. A host may begin with
     *     {@code *.}, any subdomain of the rest
     * @param maxSubscriptions subscriptions kept in all; past that a new one is answered 503
     * @param maxSubscriptionsPerCredential subscriptions one viewer token (or with viewer access off one
     *     client address) may hold; past that 409
     * @param queue pushes waiting to be sent; past that a new one is dropped and counted
     * @param senders pushes sent at once
     * @param connectTimeout how long connecting to a push service may take
     * @param timeout how long one push may take, connecting included; a slower one is abandoned and retried
     * @param attempts tries of one push when the push service answers 429 or 5xx (or none at all)
     */
    public record Push(
            @Nullable String subject,
            @Nullable String vapidPrivateKey,
            @DefaultValue({"https://fcm.googleapis.com/", "https://updates.push.services.mozilla.com/",
                    "https://web.push.apple.com/", "https://*.notify.windows.com/"}) List<String> allowedEndpoints,
            @DefaultValue("1000") @Min(1) int maxSubscriptions,
            @DefaultValue("10") @Min(1) int maxSubscriptionsPerCredential,
            @DefaultValue("1000") @Min(1) int queue,
            @DefaultValue("4") @Min(1) @Max(64) int senders,
            @DefaultValue("3s") Duration connectTimeout,
            @DefaultValue("10s") Duration timeout,
            @DefaultValue("3") @Min(1) @Max(10) int attempts) {
    }

    /**
     * How the HTTP server treats a connection (formerly under {@code doorcast.limits}).
     *
     * @param requestHeadTimeout how long a connection may take to send a whole request head (request line
     *     and headers), counted from its first byte; a slower one is closed. Idle keep-alive connections and
     *     running streams are not affected
     */
    public record Http(@DefaultValue("10s") Duration requestHeadTimeout) {
    }

    /**
     * When a doorbell counts as online: in its stats, its health, its metrics and the viewers' events.
     *
     * @param offlineAfter how long without a frame (or chunk) before a doorbell counts as offline and its
     *     streams as inactive (formerly {@code doorcast.stream.device-offline-after})
     */
    public record Presence(@DefaultValue("5s") Duration offlineAfter) {
    }

    /** Where live streams are shared. */
    public enum RelayType { LOCAL, REDIS }
}
