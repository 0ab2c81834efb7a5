/**
 * The doorbell's speaker: the way out of talk-back, as {@code stream} is the way out of the doorbell's
 * microphone. The doorbell reads what viewers say ({@code GET /api/v1/devices/doorbell/speaker-stream},
 * {@link dev.doorcast.speaker.SpeakerStreamController}, or its link) from the device's talk buffer
 * ({@link dev.doorcast.buffer.TalkBuffer}), with the listeners' own writer ({@link dev.doorcast.speaker.Speaker}).
 * What viewers post comes in through {@code talk}; the two meet only at that buffer.
 */
@NullMarked
package dev.doorcast.speaker;

import org.jspecify.annotations.NullMarked;
