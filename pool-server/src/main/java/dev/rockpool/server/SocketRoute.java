package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.Start;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.exception.WebSocketException;
import org.eclipse.jetty.websocket.core.server.Handshaker;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;

import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v0/pools/{pool}/ws}: upgrades to a WebSocket on the pool ({@link PoolSocket}), on Jetty's core WebSocket
 * server (no servlet container). The query takes the stream's filters and start ({@link StreamRequest}: from now on
 * by default) and {@code echo=false} for a client that does not want its own messages back. The access mode decides
 * what the socket does: reads push the pool's messages, writes append the client's.
 */
final class SocketRoute {
    final PoolRoutes appends;
    final FeedHub feeds;
    final Heartbeats heartbeats;
    final ServerMetrics metrics;
    final StreamSlots slots;
    final AccessMode access;
    final ServerLimits limits;
    private final PoolHandles pools;
    private final PushSettings push;
    private final Handshaker handshaker = Handshaker.newInstance();
    private final WebSocketComponents components;

    SocketRoute(Server server, PoolHandles pools, PoolRoutes appends, FeedHub feeds, Heartbeats heartbeats,
                ServerMetrics metrics, StreamSlots slots, AccessMode access, ServerLimits limits, PushSettings push) {
        this.pools = pools;
        this.appends = appends;
        this.feeds = feeds;
        this.heartbeats = heartbeats;
        this.metrics = metrics;
        this.slots = slots;
        this.access = access;
        this.limits = limits;
        this.push = push;
        this.components = WebSocketServerComponents.ensureWebSocketComponents(server);
    }

    void open(Exchange x) {
        if (!handshaker.isWebSocketUpgradeRequest(x.request)) {
            x.response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
            throw new Refusal(426, ErrorKind.USAGE, "this endpoint speaks WebSocket: send an upgrade request",
                    "connect with a WebSocket client to ws://.../v0/pools/" + x.pool() + "/ws");
        }
        StreamRequest r = StreamRequest.parse(x.query(), push.eventQuery());
        boolean echo = echo(x.query().getValue("echo"));
        String name = x.pool();
        Pool pool = pools.get(name);
        slots.acquire();
        try {
            long start = access.allowsRead() ? StreamRequest.seqOf(pool, r.start(pool, Start.latest())) : 0;
            PoolSocket socket = new PoolSocket(this, name, r, start, echo);
            if (!handshaker.upgradeRequest(negotiator(socket), x.request, x.response, x.callback, components, null)) {
                throw new Refusal(400, ErrorKind.USAGE, "not a WebSocket upgrade this server accepts", null);
            }
            x.counted(101);
        } catch (WebSocketException e) {
            slots.release();
            throw new Refusal(400, ErrorKind.USAGE, "bad WebSocket upgrade: " + e.getMessage(), null);
        } catch (RuntimeException | Error e) {
            slots.release();
            throw e;
        }
    }

    private static boolean echo(String text) {
        if (text == null) {
            return true;
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true": return true;
            case "false": return false;
            default: throw new Refusal(400, ErrorKind.USAGE, "echo=" + text + ": expected true or false", null);
        }
    }

    private WebSocketNegotiator negotiator(PoolSocket socket) {
        return new WebSocketNegotiator() {
            @Override
            public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response,
                                          Callback callback) {
                // No permessage-deflate: a compressor per socket costs more memory than small JSON frames save.
                response.setExtensions(List.of());
                return socket;
            }

            @Override
            public void customize(Configuration configuration) {
                configuration.setMaxFrameSize(limits.maxBodyBytes());
                configuration.setMaxTextMessageSize(limits.maxBodyBytes());
            }
        };
    }
}
