/**
 * Talk-back's way in: ingest run the other way. A viewer posts its voice in chunks
 * ({@code POST /api/v1/stream/talk}, {@link dev.doorcast.talk.TalkController}) as the doorbell posts its
 * microphone, under the same rules ({@link dev.doorcast.ingest.PcmIntake}, applied by
 * {@link dev.doorcast.talk.Talkers}); the chunks go into the device's talk buffer
 * ({@link dev.doorcast.buffer.TalkBuffer}), where one talker holds the line at a time. The doorbell reads them
 * out through {@code speaker}, as listeners read its microphone through {@code stream}; the two meet only at
 * that buffer.
 */
@NullMarked
package dev.doorcast.talk;

import org.jspecify.annotations.NullMarked;
