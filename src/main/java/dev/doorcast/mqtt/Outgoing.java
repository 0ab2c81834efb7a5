package dev.doorcast.mqtt;

import java.nio.charset.StandardCharsets;

/**
 * One message for the broker.
 *
 * @param qos 0 or 1; doorcast never needs 2
 * @param retained whether the broker keeps it for whoever subscribes later
 */
record Outgoing(String topic, byte[] payload, int qos, boolean retained) {

    static Outgoing retained(String topic, String text) {
        return new Outgoing(topic, text.getBytes(StandardCharsets.UTF_8), 1, true);
    }
}
