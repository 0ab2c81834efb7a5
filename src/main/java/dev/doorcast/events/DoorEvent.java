package dev.doorcast.events;

import java.nio.charset.StandardCharsets;

/**
 * One event, numbered in its device's order, with its server-sent-events form built once for every stream
 * to share:
 *
 * <pre>
 * event: ring
 * data: {"device":"doorbell","ringId":1795650743201,"time":1795650743201,"snapshot":"...","clip":"..."}
 *
 * </pre>
 *
 * @param sequence its number in its device's log, from 1; 0 for a state that was never published
 * @param type {@code ring}, {@code online} or {@code offline}
 * @param data the event's JSON
 * @param bytes the event as a stream carries it
 */
public record DoorEvent(long sequence, String type, String data, byte[] bytes) {

    static DoorEvent of(long sequence, String type, String data) {
        return new DoorEvent(sequence, type, data,
                ("event: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
}
