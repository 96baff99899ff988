package dev.rockpool.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rockpool.filter.ErrorJson;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.PoolException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * One request being answered: its route and variables, and the ways to answer (JSON, bytes, an error envelope), each
 * counted in the metrics. Also reads the request body, without blocking a thread while it arrives.
 */
final class Exchange {
    static final String JSON = "application/json";

    final Request request;
    final Response response;
    final Callback callback;
    final Route route;
    final List<String> vars;
    private final ServerMetrics metrics;
    private Fields query;

    Exchange(Request request, Response response, Callback callback, Route route, List<String> vars,
             ServerMetrics metrics) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.route = route;
        this.vars = vars;
        this.metrics = metrics;
    }

    /** The {@code {pool}} of the path. */
    String pool() {
        return vars.get(0);
    }

    /** The query parameters (repeatable). */
    Fields query() {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return query;
    }

    /** Answers 200 with a JSON value. */
    void json(Object value) {
        try {
            send(200, JSON, JsonTrees.MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            error(new PoolException(ErrorKind.INTERNAL, "cannot write JSON: " + e.getOriginalMessage()));
        }
    }

    /** Answers with a status, a content type and a body. */
    void send(int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        metrics.request(route, request.getMethod(), status);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Answers with the error envelope of a failure and its status. */
    void error(PoolException e) {
        int status = Refusal.statusOf(e);
        if (status == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"rockpool\"");
        }
        try {
            send(status, JSON, JsonTrees.MAPPER.writeValueAsBytes(ErrorJson.of(e)));
        } catch (JsonProcessingException x) {
            send(500, JSON, "{\"error\":{\"kind\":\"Internal\",\"message\":\"error\"}}".getBytes());
        }
    }

    /** Records the status of a response that streams (its body is written elsewhere). */
    void streaming(int status) {
        response.setStatus(status);
        counted(status);
    }

    /** Records the status of a response answered elsewhere (a WebSocket upgrade). */
    void counted(int status) {
        metrics.request(route, request.getMethod(), status);
    }

    /**
     * Reads the whole body, at most {@code max} bytes (more is 413), then hands it to {@code handler} on a thread
     * that may block. Reads what has arrived without waiting; for the rest it asks Jetty to call back when more
     * arrives, so a slow uploader holds no thread.
     */
    void readBody(long max, Consumer<byte[]> handler) {
        long declared = request.getLength();
        if (declared > max) {
            metrics.refused("body_size");
            error(tooLarge(max));
            return;
        }
        new BodyReader(max, handler).run();
    }

    /** 413; the connection closes after it, as a body it did not read may still be on its way. */
    private Refusal tooLarge(long max) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        return new Refusal(413, ErrorKind.USAGE, "request body larger than " + max + " bytes",
                "send less per request, or raise the server's --max-body-bytes");
    }

    /** Reads chunks as they come; runs again (on a pooled thread) each time Jetty has more. */
    private final class BodyReader implements Runnable {
        private final long max;
        private final Consumer<byte[]> handler;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        BodyReader(long max, Consumer<byte[]> handler) {
            this.max = max;
            this.handler = handler;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    callback.failed(chunk.getFailure());
                    return;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                if (body.size() + bytes.remaining() > max) {
                    chunk.release();
                    metrics.refused("body_size");
                    error(tooLarge(max));
                    return;
                }
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                body.write(copy, 0, copy.length);
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    Api.run(Exchange.this, () -> handler.accept(body.toByteArray()));
                    return;
                }
            }
        }
    }
}
