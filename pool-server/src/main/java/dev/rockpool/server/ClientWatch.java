package dev.rockpool.server;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Notices at once that an HTTP/1.x client closed the connection of a stream. Jetty reads nothing from an HTTP/1
 * connection while a request is being handled, so a client that goes away in a quiet moment would be noticed only at
 * the next write; a stream may be quiet for its whole life. This asks the connection's end point to say when it
 * becomes readable: for a streaming client that means it closed (a client sends nothing more while a response
 * streams). Jetty closes rather than reuses a connection still watched when the response completes, which costs a
 * stream's client one reconnect and nothing else.
 */
final class ClientWatch {
    private ClientWatch() {
    }

    /** Watches a request whose body has been read whole; {@code onGone} runs once if the client goes away. */
    static void watch(Request request, Consumer<Throwable> onGone) {
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0 || !request.consumeAvailable()) {
            return;
        }
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        endPoint.fillInterested(new Readable(endPoint, onGone));
    }

    private static final class Readable implements Callback {
        private final EndPoint endPoint;
        private final Consumer<Throwable> onGone;

        Readable(EndPoint endPoint, Consumer<Throwable> onGone) {
            this.endPoint = endPoint;
            this.onGone = onGone;
        }

        @Override
        public void succeeded() {
            try {
                int n = endPoint.fill(ByteBuffer.allocate(64).flip());
                if (n == 0) {
                    endPoint.fillInterested(this);
                } else {
                    onGone.accept(n < 0 ? new EOFException("client closed the stream")
                            : new IOException("client sent data while a stream was open"));
                }
            } catch (IOException e) {
                onGone.accept(e);
            }
        }

        @Override
        public void failed(Throwable x) {
            onGone.accept(x);
        }

        @Override
        public Invocable.InvocationType getInvocationType() {
            return Invocable.InvocationType.BLOCKING;
        }
    }
}
