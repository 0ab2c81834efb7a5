/**
 * Tells an MQTT broker, and through it Home Assistant, of each doorbell: its rings, whether it is online, the
 * picture of its last ring, and Home Assistant's discovery configs so that each doorbell appears as a device
 * with no setup. Off unless {@code doorcast.mqtt.url} is set. It only publishes: it subscribes to nothing, so
 * whoever can write to the broker cannot make doorcast do anything. A device's thread only hands work to a
 * bounded queue ({@link dev.doorcast.mqtt.MqttOutbox}); a broker that is slow or gone costs dropped messages,
 * counted, never a device's time. Depends on {@code buffer} (rings), {@code events} (online and offline, as
 * doorcast decides them) and {@code system} (settings).
 */
@NullMarked
package dev.doorcast.mqtt;

import org.jspecify.annotations.NullMarked;
