/**
 * Each configured device's objects, put together once for every room: its buffer, its viewers and their
 * writers, its events, its talk buffer and its speaker streams ({@link dev.doorcast.device.Channel}), and the
 * lookup by device id ({@link dev.doorcast.device.Channels}).
 */
@NullMarked
package dev.doorcast.device;

import org.jspecify.annotations.NullMarked;
