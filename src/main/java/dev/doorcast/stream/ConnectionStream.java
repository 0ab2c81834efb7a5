package dev.doorcast.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

import jakarta.servlet.ServletResponse;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.catalina.connector.Response;
import org.apache.catalina.connector.ResponseFacade;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;

/**
 * A stream's body written to Tomcat's connection below the servlet response buffer. That buffer is 1 KB
 * per connection here ({@code DoorcastHttpProtocol}), and Tomcat passes a write larger than it on in
 * slices of its size: nine trips through Tomcat's layers for each 9 KB part, which cost about a tenth more
 * CPU per delivered frame. Written here, a part goes whole into the socket write buffer and out in one
 * syscall. This does what the servlet stream does with a write and a flush, less the buffer: a failed write
 * is a {@link ClientAbortException}, with the socket's exception (a timeout, for a stalled viewer) as its
 * cause. Tomcat offers no public way from the servlet response to its connection, so this reaches the
 * facade's field; when it cannot, streams use the servlet stream as before.
 */
final class ConnectionStream extends OutputStream {

    private static final @Nullable VarHandle FACADE_RESPONSE = facadeResponse();

    private final org.apache.coyote.Response coyote;

    private ConnectionStream(org.apache.coyote.Response coyote) {
        this.coyote = coyote;
    }

    /** Tomcat's connection below {@code response}, or its servlet stream when that is not Tomcat's facade. */
    static OutputStream of(ServletResponse response) throws IOException {
        if (FACADE_RESPONSE != null && response instanceof ResponseFacade facade
                && FACADE_RESPONSE.get(facade) instanceof Response tomcat) {
            return new ConnectionStream(tomcat.getCoyoteResponse());
        }
        return response.getOutputStream();
    }

    static boolean available() {
        return FACADE_RESPONSE != null;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
        try {
            coyote.doWrite(ByteBuffer.wrap(bytes, off, len));
        } catch (IOException e) {
            throw new ClientAbortException(e);
        }
    }

    @Override
    public void flush() throws IOException {
        coyote.action(ActionCode.CLIENT_FLUSH, null);
        if (coyote.isExceptionPresent()) {
            throw new ClientAbortException(coyote.getErrorException());
        }
    }

    private static @Nullable VarHandle facadeResponse() {
        try {
            return MethodHandles.privateLookupIn(ResponseFacade.class, MethodHandles.lookup())
                    .findVarHandle(ResponseFacade.class, "response", Response.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
