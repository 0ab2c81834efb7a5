/**
 * The ring history: every ring the doorbell rang on this instance written to the store (an H2 file, or a
 * PostgreSQL server several instances share) with its picture and clip, kept for
 * {@code doorcast.rings.keep-for} and within {@code doorcast.rings.max-storage}, and read back when the
 * buffer's last few no longer have it (after a restart, or rung long ago). Writing is one thread behind a
 * bounded queue: a device's request never waits on the store, and a store that is down costs rings their
 * history, not their delivery. Depends on {@code buffer} and {@code system}.
 */
@NullMarked
package dev.doorcast.history;

import org.jspecify.annotations.NullMarked;
