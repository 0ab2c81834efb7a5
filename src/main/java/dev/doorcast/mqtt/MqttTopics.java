package dev.doorcast.mqtt;

import java.util.regex.Pattern;

/**
 * doorcast's topics under {@code doorcast.mqtt.topic-prefix}, and Home Assistant's discovery topics under
 * {@code doorcast.mqtt.discovery-prefix}:
 *
 * <pre>
 * doorcast/status                                    online / offline: this server (retained, and its last will)
 * doorcast/&lt;device&gt;/ring                             {"event_type":"ring",...} for each ring (QoS 1)
 * doorcast/&lt;device&gt;/online                           online / offline: the doorbell (retained)
 * doorcast/&lt;device&gt;/snapshot                         the last ring's JPEG (retained)
 * homeassistant/&lt;component&gt;/&lt;node&gt;/&lt;object&gt;/config   discovery (retained)
 * </pre>
 *
 * A device id becomes a topic level as it is: one that could not be one ({@code /}, {@code +}, {@code #}, an
 * empty level, a leading {@code $}) is refused, never escaped into another device's name.
 */
record MqttTopics(String prefix, String discoveryPrefix) {

    private static final Pattern LEVEL = Pattern.compile("[^/+#\\u0000$][^/+#\\u0000]*");
    private static final Pattern NOT_AN_ID_CHARACTER = Pattern.compile("[^A-Za-z0-9_-]");

    /** The server's own availability. */
    String status() {
        return prefix + "/status";
    }

    String ring(String device) {
        return prefix + "/" + level(device) + "/ring";
    }

    String online(String device) {
        return prefix + "/" + level(device) + "/online";
    }

    String snapshot(String device) {
        return prefix + "/" + level(device) + "/snapshot";
    }

    /**
     * Home Assistant's node id for {@code device}: the topic prefix and the device id, in the characters a
     * node id may have, so that two doorcast servers on one broker (with two prefixes) never share one.
     */
    String node(String device) {
        return NOT_AN_ID_CHARACTER.matcher(prefix + "_" + level(device)).replaceAll("_");
    }

    /** {@code <discovery-prefix>/<component>/<node>/<object>/config}, as Home Assistant's discovery reads it. */
    String discovery(String component, String device, String object) {
        return discoveryPrefix + "/" + component + "/" + node(device) + "/" + object + "/config";
    }

    /** @throws IllegalArgumentException for an id that cannot be one topic level as it is */
    static String level(String device) {
        if (!LEVEL.matcher(device).matches()) {
            throw new IllegalArgumentException("'" + device + "' cannot be an MQTT topic level");
        }
        return device;
    }
}
