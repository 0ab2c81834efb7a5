package dev.doorcast.events;

import dev.doorcast.buffer.DoorbellRing;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The data of each event, as JSON: what a server-sent event carries in its {@code data} field. */
final class EventData {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EventData() {
    }

    static String ring(String device, DoorbellRing ring) {
        ObjectNode data = JSON.createObjectNode()
                .put("device", device)
                .put("ringId", ring.id())
                .put("time", ring.time())
                .put("snapshot", RingLinks.snapshot(device, ring.id()))
                .put("clip", RingLinks.clip(device, ring.id()));
        return JSON.writeValueAsString(data);
    }

    static String presence(String device, long time) {
        return JSON.writeValueAsString(JSON.createObjectNode().put("device", device).put("time", time));
    }
}
