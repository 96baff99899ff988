package dev.rockpool.server;

import java.util.Arrays;
import java.util.List;

/**
 * The server's routes: plasmite's remote protocol v0 ({@code /v0/...}), rockpool's additions, the push endpoints,
 * the web UI and the operational endpoints. A pattern is a list of segments; {@code {pool}}, {@code {seq}} and
 * {@code {file}} match one segment each. The route's pattern is also its label in the metrics, so the label set stays
 * small whatever the paths.
 */
enum Route {
    HEALTHZ("GET", "/healthz", Access.NONE),
    HC("GET", "/hc", Access.NONE),
    METRICS("GET", "/metrics", Access.ANY),
    /** Plasma's event stream (with {@code Accept: text/event-stream}); else a redirect to the UI. */
    ROOT("GET", "/", Access.READ),
    UI("GET", "/ui", Access.NONE),
    UI_FILE("GET", "/ui/{file}", Access.NONE),
    SERVER("GET", "/v0/server", Access.ANY),
    LIST_POOLS("GET", "/v0/pools", Access.READ),
    CREATE_POOL("POST", "/v0/pools", Access.WRITE),
    OPEN_POOL("POST", "/v0/pools/open", Access.READ),
    DELETE_POOL("DELETE", "/v0/pools/{pool}", Access.WRITE),
    POOL_INFO("GET", "/v0/pools/{pool}/info", Access.READ),
    APPEND("POST", "/v0/pools/{pool}/append", Access.WRITE),
    APPEND_BATCH("POST", "/v0/pools/{pool}/append_batch", Access.WRITE),
    GET_MESSAGE("GET", "/v0/pools/{pool}/messages/{seq}", Access.READ),
    TAIL("GET", "/v0/pools/{pool}/tail", Access.READ),
    EVENTS("GET", "/v0/pools/{pool}/events", Access.READ),
    EVENTS_ACROSS_POOLS("GET", "/v0/events", Access.READ),
    /** Reads or writes or both, as the access mode allows: the socket decides per direction. */
    SOCKET("GET", "/v0/pools/{pool}/ws", Access.ANY),
    APPEND_LITE3("POST", "/v0/pools/{pool}/append_lite3", Access.WRITE),
    GET_LITE3("GET", "/v0/pools/{pool}/messages/{seq}/lite3", Access.READ),
    TAIL_LITE3("GET", "/v0/pools/{pool}/tail_lite3", Access.READ);

    /**
     * What a route needs: NONE routes are open to every client (no token either); the others need the token, and
     * READ and WRITE the access mode's permission too.
     */
    enum Access { NONE, ANY, READ, WRITE }

    final String method;
    final String pattern;
    final Access access;
    private final String[] segments;

    Route(String method, String pattern, Access access) {
        this.method = method;
        this.pattern = pattern;
        this.access = access;
        this.segments = pattern.equals("/") ? new String[0] : pattern.substring(1).split("/");
    }

    /** The variables of {@code path} (decoded segments) in pattern order if it matches, else null. */
    List<String> match(List<String> path) {
        if (path.size() != segments.length) {
            return null;
        }
        String[] values = new String[2];
        int n = 0;
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].startsWith("{")) {
                values[n++] = path.get(i);
            } else if (!segments[i].equals(path.get(i))) {
                return null;
            }
        }
        return Arrays.asList(values).subList(0, n);
    }
}
