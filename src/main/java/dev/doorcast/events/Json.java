package dev.doorcast.events;

import dev.doorcast.buffer.DoorbellRing;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The events' JSON, and the paths that fetch a ring's picture and clip. */
final class Json {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Json() {
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
