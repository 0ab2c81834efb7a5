package dev.doorcast.mqtt;

import java.util.List;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Home Assistant's MQTT discovery configs for one doorbell: one device with three entities, an {@code event}
 * that fires on each ring, a {@code binary_sensor} (connectivity) for whether it is online, and a
 * {@code camera} showing the last ring's picture. Each is available while the server's status topic says
 * {@code online}. Published retained, so that Home Assistant finds them whenever it (re)starts, and again on
 * each connection, so that a broker that lost them gets them back.
 *
 * @see <a href="https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery">Home Assistant: MQTT discovery</a>
 */
final class Discovery {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MqttTopics topics;

    Discovery(MqttTopics topics) {
        this.topics = topics;
    }

    /** The three configs of {@code device}, which the viewer page calls {@code name}. */
    List<Outgoing> configs(String device, String name) {
        ObjectNode event = entity(device, name, "ring", "Ring")
                .put("state_topic", topics.ring(device))
                .put("device_class", "doorbell")
                .put("qos", 1);
        event.putArray("event_types").add("ring");
        ObjectNode online = entity(device, name, "online", "Online")
                .put("state_topic", topics.online(device))
                .put("device_class", "connectivity")
                .put("payload_on", "online")
                .put("payload_off", "offline")
                .put("entity_category", "diagnostic")
                .put("qos", 1);
        ObjectNode camera = entity(device, name, "snapshot", "Last ring")
                .put("topic", topics.snapshot(device));
        return List.of(
                message("event", device, "ring", event),
                message("binary_sensor", device, "online", online),
                message("camera", device, "snapshot", camera));
    }

    private ObjectNode entity(String device, String name, String object, String entityName) {
        ObjectNode config = JSON.createObjectNode()
                .put("name", entityName)
                .put("unique_id", topics.node(device) + "_" + object)
                .put("availability_topic", topics.status())
                .put("payload_available", "online")
                .put("payload_not_available", "offline");
        ObjectNode deviceBlock = config.putObject("device");
        deviceBlock.putArray("identifiers").add(topics.node(device));
        deviceBlock.put("name", name).put("manufacturer", "doorcast").put("model", "doorcast");
        config.putObject("origin").put("name", "doorcast");
        return config;
    }

    private Outgoing message(String component, String device, String object, ObjectNode config) {
        return Outgoing.retained(topics.discovery(component, device, object), JSON.writeValueAsString(config));
    }
}
