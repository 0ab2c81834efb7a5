package dev.doorcast.stream;

import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's HTTP/1.1 connector with a small servlet response buffer. Tomcat gives every connection a response
 * buffer of 8 KB of bytes and 8 K chars (24 KB of heap) for as long as the connection lives, and an endless
 * stream keeps its connection for hours. The streams write their parts past that buffer anyway (a write
 * larger than it goes straight to the socket), so for them it is heap spent on nothing; the other responses
 * (JSON, metrics) only flush more often. Tomcat asks the protocol for the size ({@code getDesiredBufferSize}),
 * which is why this is a protocol and not a setting. Figures in docs/performance.md.
 */
public class SmallResponseBufferProtocol extends Http11NioProtocol {

    /** Bytes, and as many chars, per connection. */
    static final int RESPONSE_BUFFER = 1024;

    @Override
    public int getDesiredBufferSize() {
        return RESPONSE_BUFFER;
    }
}
