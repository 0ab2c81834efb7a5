/**
 * Talk-back: ingest and stream run the other way. A viewer posts its voice in chunks
 * ({@code POST /api/v1/stream/talk}, {@link dev.doorcast.talk.TalkController}) as the doorbell posts its
 * microphone, under the same rules ({@link dev.doorcast.ingest.PcmIntake}, applied by
 * {@link dev.doorcast.talk.Talkers}); the chunks go into the device's
 * talk ring ({@link dev.doorcast.buffer.TalkBuffer}), where one talker holds the line at a time; and the
 * doorbell reads them out ({@code GET /api/v1/devices/doorbell/speaker-stream},
 * {@link dev.doorcast.talk.SpeakerStreamController}) as listeners read its microphone, with the same writer
 * ({@link dev.doorcast.device.Channel#speakerStream}). They meet only at the ring.
 */
@NullMarked
package dev.doorcast.talk;

import org.jspecify.annotations.NullMarked;
