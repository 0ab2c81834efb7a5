/**
 * Each configured device's objects that every room shares, put together once: its buffer, its events and its
 * talk buffer ({@link dev.doorcast.device.Channel}), and the lookup by device id
 * ({@link dev.doorcast.device.Channels}). Who watches a device is {@code stream}'s, built from these.
 */
@NullMarked
package dev.doorcast.device;

import org.jspecify.annotations.NullMarked;
