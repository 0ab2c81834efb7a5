package dev.doorcast.tomcat;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.CharBuffer;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.InputBuffer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Gives each Tomcat request a small char buffer for {@code getReader()} in place of the 8 K chars (16 KB of
 * heap) Tomcat makes for every connection and keeps as long as it lives: a viewer's connection lives for
 * hours and never reads a char. No doorcast endpoint reads a body as chars (multipart, PCM and JSON are
 * read as bytes); one that did would still work, decoding in smaller steps and growing the buffer as Tomcat
 * does for {@code mark()}. Tomcat has no setting for this buffer's size, so this reaches its field; if a
 * Tomcat version names it otherwise, the valve says so once at start and does nothing.
 */
final class SmallReaderBuffers extends ValveBase {

    static final int CHARS = 256;

    private static final Log log = LogFactory.getLog(SmallReaderBuffers.class);

    private final @Nullable VarHandle inputBuffer;
    private final @Nullable VarHandle chars;

    SmallReaderBuffers() {
        super(true);
        VarHandle in = null;
        VarHandle cb = null;
        try {
            in = MethodHandles.privateLookupIn(Request.class, MethodHandles.lookup())
                    .findVarHandle(Request.class, "inputBuffer", InputBuffer.class);
            cb = MethodHandles.privateLookupIn(InputBuffer.class, MethodHandles.lookup())
                    .findVarHandle(InputBuffer.class, "cb", CharBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("Tomcat's request char buffers stay at their full size: " + e);
            in = null;
            cb = null;
        }
        this.inputBuffer = in;
        this.chars = cb;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        trim(request);
        getNext().invoke(request, response);
    }

    /** Replaces a request's char buffer with a small one, once per request object (Tomcat reuses them). */
    void trim(Request request) {
        if (inputBuffer == null || chars == null) {
            return;
        }
        InputBuffer in = (InputBuffer) inputBuffer.get(request);
        CharBuffer cb = (CharBuffer) chars.get(in);
        if (cb.capacity() > CHARS && cb.position() == 0 && cb.limit() == 0) {
            chars.set(in, CharBuffer.allocate(CHARS).limit(0));
        }
    }

    boolean active() {
        return inputBuffer != null && chars != null;
    }
}
