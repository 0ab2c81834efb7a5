/**
 * The doorbell's link: one WebSocket (RFC 6455) per doorbell that carries its camera frames, microphone and
 * rings in, through the same intake as the POSTs, and its speaker's audio and the server's notices out. Beside
 * {@code ingest} (what comes in) and the speaker stream (what goes out), over one connection.
 */
@NullMarked
package dev.doorcast.link;

import org.jspecify.annotations.NullMarked;
