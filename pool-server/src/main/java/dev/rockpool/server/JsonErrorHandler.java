package dev.rockpool.server;

import dev.rockpool.filter.ErrorJson;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Errors Jetty answers itself (a malformed request line, an ambiguous or over-long URI, headers too large) get the
 * protocol's error envelope too, never an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Exchange.JSON);
        response.getHeaders().put("plasmite-version", "0");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Exchange.JSON);
        fields.put("plasmite-version", "0");
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int status, String message) {
        // 503 is Jetty refusing requests while the server stops: Busy, which clients retry.
        ErrorKind kind = status == 404 ? ErrorKind.NOT_FOUND : status == 503 ? ErrorKind.BUSY
                : status >= 500 ? ErrorKind.INTERNAL : ErrorKind.USAGE;
        String text = message == null || message.isBlank() ? "HTTP " + status : message;
        return ErrorJson.of(new PoolException(kind, text)).toString().getBytes(StandardCharsets.UTF_8);
    }
}
