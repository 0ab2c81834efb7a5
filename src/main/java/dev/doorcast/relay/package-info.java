/**
 * Shares one instance's device posts with every other instance through Redis pub/sub, so that a viewer
 * on any instance sees a doorbell that posts to any instance. Depends on {@code buffer} only: what comes
 * in from Redis is added to the local buffer as if the device had posted here, once it has passed the
 * same media checks as a device's post ({@code buffer.MediaFault}) and proved it was signed with the relay
 * secret by an instance, for that channel, moments ago, and never before.
 */
@NullMarked
package dev.doorcast.relay;

import org.jspecify.annotations.NullMarked;
