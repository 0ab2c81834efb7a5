/**
 * Web Push: a ring reaches a phone whose page is closed. Subscriptions made with a viewer credential are kept
 * in the store; each ring taken here is encrypted (RFC 8291), signed (VAPID, RFC 8292) and sent (RFC 8030)
 * to the allowed push services, off the device's thread.
 */
@NullMarked
package dev.doorcast.push;

import org.jspecify.annotations.NullMarked;
