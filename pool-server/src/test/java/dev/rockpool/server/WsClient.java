package dev.rockpool.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.JsonTrees;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Jetty's WebSocket client, for the server's WebSocket endpoint: sockets whose received frames queue up as JSON. */
public final class WsClient implements AutoCloseable {
    private final WebSocketClient client = new WebSocketClient();

    WsClient() {
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One socket: what it received, and how it closed (public: Jetty calls it by method handles). */
    public static final class Socket implements Session.Listener.AutoDemanding {
        /** Frames as received: parsed when looked at, so the socket reads as fast as the server sends. */
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile Session session;

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketText(String text) {
            received.add(text);
        }

        private static JsonNode json(String text) {
            if (text == null) {
                return null;
            }
            try {
                return JsonTrees.MAPPER.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void onWebSocketClose(int status, String reason) {
            closed.complete(status);
        }

        void send(String text) {
            session.sendText(text, Callback.NOOP);
        }

        /** Frames received but passed over by {@link #await}, oldest first. */
        private final List<JsonNode> passedOver = new ArrayList<>();

        /** The next frame (passed over ones first), or null after the timeout. */
        JsonNode next(Duration timeout) throws InterruptedException {
            if (!passedOver.isEmpty()) {
                return passedOver.remove(0);
            }
            return json(received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
        }

        /**
         * The first {@code n} frames that match, in the order received; the others stay for later calls. Fails if
         * they do not come in time.
         */
        List<JsonNode> await(int n, Predicate<JsonNode> which, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<JsonNode> out = new ArrayList<>();
            for (var it = passedOver.iterator(); it.hasNext() && out.size() < n; ) {
                JsonNode f = it.next();
                if (which.test(f)) {
                    out.add(f);
                    it.remove();
                }
            }
            while (out.size() < n) {
                JsonNode f = json(received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                if (f == null) {
                    throw new AssertionError("got " + out.size() + " of " + n + " frames" + (out.isEmpty() ? ""
                            : ", the last " + out.get(out.size() - 1)) + "; passed over " + passedOver.size()
                            + (passedOver.isEmpty() ? "" : ", the last " + passedOver.get(passedOver.size() - 1)));
                }
                if (which.test(f)) {
                    out.add(f);
                } else {
                    passedOver.add(f);
                }
            }
            return out;
        }

        int closeStatus(Duration timeout) throws Exception {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Connects; header pairs go on the upgrade request. */
    Socket connect(String url, String... headers) throws Exception {
        Socket socket = new Socket();
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        client.connect(socket, URI.create(url), request).get(20, TimeUnit.SECONDS);
        return socket;
    }

    /** The HTTP status an upgrade is refused with; fails if it is accepted. */
    int refusal(String url, String... headers) throws Exception {
        try {
            connect(url, headers).session.close();
            throw new AssertionError("the upgrade was accepted: " + url);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeException) {
                return ((UpgradeException) e.getCause()).getResponseStatusCode();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // stopping anyway
        }
    }
}
