package dev.doorcast.tomcat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.res.StringManager;

/**
 * Errors Tomcat answers before a request reaches Spring (a malformed request line or header, an HTTP
 * version it does not speak) get the same JSON problem shape as every other error, instead of Tomcat's
 * HTML page. Never a stack trace: the detail is the status text only.
 */
public final class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String reason = StringManager.getManager("org.apache.catalina.valves").getString("http." + status + ".reason");
        String title = reason == null || reason.startsWith("Cannot find message") ? "Error" : reason;
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"about:blank\",\"title\":\"" + title.replace("\"", "'") + "\",\"status\":"
                        + status + ",\"detail\":\"The server could not process this request\",\"success\":false}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response was already committed: nothing more to say.
        }
        response.getCoyoteResponse().action(ActionCode.IS_ERROR, null);
    }
}
