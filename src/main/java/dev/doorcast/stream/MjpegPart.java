package dev.doorcast.stream;

import java.nio.charset.StandardCharsets;

import dev.doorcast.buffer.Frame;

/**
 * One frame framed as a part of the camera stream, built once per frame and written as-is to every
 * viewer. Each part ends with the boundary that opens the next one: browsers show a part only once they
 * see the boundary after it, so a part that ended without it would show one frame late.
 *
 * <pre>
 * Content-Type: image/jpeg
 * Content-Length: 9245
 * X-Timestamp: 1764111111000
 * X-Sequence: 42
 *
 * &lt;9245 bytes of JPEG&gt;
 * --doorcast
 * </pre>
 *
 * @param sequence the frame's sequence in the buffer
 * @param receivedAt server time the frame arrived, epoch ms
 * @param bytes headers, JPEG and the closing boundary
 */
public record MjpegPart(long sequence, long receivedAt, byte[] bytes) {

    /** The boundary between parts; the stream opens with it so the first part has one before it. */
    public static final String BOUNDARY = "doorcast";

    /** The content type of the camera stream. */
    public static final String CONTENT_TYPE = "multipart/x-mixed-replace;boundary=" + BOUNDARY;

    static final byte[] OPENING = ("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII);

    private static final byte[] CLOSING = ("\r\n--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII);

    static MjpegPart of(Frame frame) {
        byte[] head = ("Content-Type: image/jpeg\r\n"
                + "Content-Length: " + frame.size() + "\r\n"
                + "X-Timestamp: " + frame.receivedAt() + "\r\n"
                + "X-Sequence: " + frame.sequence() + "\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[head.length + frame.size() + CLOSING.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(frame.jpeg(), 0, bytes, head.length, frame.size());
        System.arraycopy(CLOSING, 0, bytes, head.length + frame.size(), CLOSING.length);
        return new MjpegPart(frame.sequence(), frame.receivedAt(), bytes);
    }
}
