/**
 * Tomcat as doorcast runs it: the connector ({@link dev.doorcast.tomcat.DoorcastHttpProtocol}) and the
 * per-connection buffers sized for thousands of endless streams, the hand-over of a stream's or a link's
 * connection once its request is done ({@link dev.doorcast.tomcat.HandedOverConnection}), and Tomcat's own
 * errors as JSON. Nothing here knows of viewers or devices; docs/architecture.md, "Headers, then the socket
 * alone", explains the hand-over.
 */
@NullMarked
package dev.doorcast.tomcat;

import org.jspecify.annotations.NullMarked;
