package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.PoolException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * The server's one handler: CORS, routing, authentication and access, then the route. Every answer carries
 * {@code plasmite-version: 0}; every failure is the error envelope with plasmite's status mapping.
 */
final class Api extends Handler.Abstract {
    private static final String VERSION_HEADER = "plasmite-version";

    private final BearerAuth auth;
    private final AccessMode access;
    private final Cors cors;
    private final ServerMetrics metrics;
    private final Health health;
    private final PoolRoutes pools;
    private final TailRoute tails;
    private final EventsRoute events;
    private final SocketRoute sockets;
    private final UiRoute ui;
    private final byte[] serverInfo;

    /** The routes' handlers; {@code serverInfo} is the answer to {@code GET /v0/server}. */
    Api(BearerAuth auth, AccessMode access, Cors cors, ServerMetrics metrics, Health health, PoolRoutes pools,
        TailRoute tails, EventsRoute events, SocketRoute sockets, UiRoute ui, byte[] serverInfo) {
        this.auth = auth;
        this.access = access;
        this.cors = cors;
        this.metrics = metrics;
        this.health = health;
        this.pools = pools;
        this.tails = tails;
        this.events = events;
        this.sockets = sockets;
        this.ui = ui;
        this.serverInfo = serverInfo.clone();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put(VERSION_HEADER, "0");
        List<String> path = segments(request);
        Match match = match(request.getMethod(), path);
        Exchange x = new Exchange(request, response, callback, match.route, match.vars, metrics);
        run(x, () -> {
            cors.apply(request, response);
            if (request.getMethod().equals("OPTIONS")) {
                preflight(x);
                return;
            }
            if (x.route == null) {
                throw notRouted(request, path, match.otherMethod);
            }
            dispatch(x);
        });
        return true;
    }

    /** The route of a request, or none and perhaps a route of the same path for another method. */
    private record Match(Route route, List<String> vars, Route otherMethod) {
    }

    private static Match match(String method, List<String> path) {
        Route other = null;
        for (Route r : Route.values()) {
            List<String> vars = r.match(path);
            if (vars != null && r.method.equals(method)) {
                return new Match(r, vars, null);
            }
            if (vars != null && other == null) {
                other = r;
            }
        }
        return new Match(null, List.of(), other);
    }

    /** Runs a step of an exchange; a failure becomes its error answer. */
    static void run(Exchange x, Runnable step) {
        try {
            step.run();
        } catch (PoolException e) {
            x.error(e);
        } catch (RuntimeException e) {
            x.error(new PoolException(ErrorKind.INTERNAL, "internal error: " + e, null, null, null, null, e));
        }
    }

    private void dispatch(Exchange x) {
        if (x.route == Route.ROOT && !EventsRoute.wantsEvents(x)) {
            ui.redirect(x);
            return;
        }
        if (x.route.access != Route.Access.NONE) {
            auth.check(x.request);
        }
        if (x.route.access == Route.Access.READ && !access.allowsRead()
                || x.route.access == Route.Access.WRITE && !access.allowsWrite()) {
            String what = x.route.access == Route.Access.READ ? "reads" : "writes";
            throw new Refusal(403, ErrorKind.PERMISSION, "forbidden: this server is " + access.label() + " and "
                    + "refuses " + what, null);
        }
        switch (x.route) {
            case HEALTHZ:
            case HC: healthz(x); break;
            case METRICS: x.send(200, ServerMetrics.CONTENT_TYPE, metrics.scrape()); break;
            case LIST_POOLS: pools.list(x); break;
            case CREATE_POOL: pools.create(x); break;
            case OPEN_POOL: pools.open(x); break;
            case DELETE_POOL: pools.delete(x); break;
            case POOL_INFO: pools.info(x); break;
            case APPEND: pools.append(x); break;
            case APPEND_BATCH: pools.appendBatch(x); break;
            case GET_MESSAGE: pools.get(x); break;
            case TAIL: tails.tail(x); break;
            case EVENTS: events.poolEvents(x); break;
            case EVENTS_ACROSS_POOLS: events.events(x); break;
            case ROOT: events.plasma(x); break;
            case SOCKET: sockets.open(x); break;
            case UI:
            case UI_FILE: ui.serve(x); break;
            case SERVER: x.send(200, Exchange.JSON, serverInfo); break;
            default: throw new PoolException(ErrorKind.USAGE, "Lite3 is not served: rockpool stores JSON; use "
                    + "/append, /messages/{seq} and /tail");
        }
    }

    private void healthz(Exchange x) {
        var result = health.check(auth.accepts(x.request));
        try {
            x.send(result.get("ok").asBoolean() ? 200 : 503, Exchange.JSON,
                    JsonTrees.MAPPER.writeValueAsBytes(result));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PoolException(ErrorKind.INTERNAL, "cannot write JSON: " + e.getOriginalMessage());
        }
    }

    private static void preflight(Exchange x) {
        x.response.getHeaders().put(HttpHeader.ALLOW, Cors.ALLOWED_METHODS);
        x.send(204, Exchange.JSON, new byte[0]);
    }

    /** 405 when the path exists for another method, else 404. */
    private static Refusal notRouted(Request request, List<String> path, Route other) {
        String where = request.getMethod() + " /" + String.join("/", path);
        if (other != null) {
            return new Refusal(405, ErrorKind.USAGE, "method not allowed: " + where, "use " + other.method);
        }
        return new Refusal(404, ErrorKind.NOT_FOUND, "no such endpoint: " + where, null);
    }

    /**
     * The path's segments, each percent-decoded on its own: an encoded {@code /} stays inside its segment (where the
     * pool-name check refuses it) instead of splitting the path.
     */
    private static List<String> segments(Request request) {
        String raw = request.getHttpURI().getPath();
        List<String> out = new ArrayList<>();
        if (raw == null || raw.length() <= 1) {
            return out;
        }
        for (String segment : raw.substring(1).split("/", -1)) {
            out.add(URIUtil.decodePath(segment));
        }
        return out;
    }
}
