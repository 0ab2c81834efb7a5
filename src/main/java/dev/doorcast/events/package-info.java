/**
 * What happens at the door, as events for viewers: someone rang, the doorbell came online or went offline.
 * Several rooms raise them (the buffer tells of rings and frames, whether the device posted here or on
 * another instance; a sweep notices silence), each device's {@link dev.doorcast.events.DoorEvents} keeps the
 * last few in order, and one stream, {@code GET /api/v1/stream/events}, delivers them. Depends on
 * {@code buffer} only.
 */
@NullMarked
package dev.doorcast.events;

import org.jspecify.annotations.NullMarked;
