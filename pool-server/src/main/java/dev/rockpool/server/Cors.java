package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin requests from browsers, for exact origins only. An allowed origin gets
 * {@code Access-Control-Allow-Origin} with itself (never {@code *}); a preflight from any other origin is refused
 * (403). A write (POST, DELETE) or a WebSocket upgrade that carries a foreign {@code Origin} is refused too: a page
 * elsewhere must not append to a server on loopback behind the user's back (a form post needs no preflight, and
 * WebSockets know no CORS). Requests from the
 * server's own origin, and clients that send no {@code Origin} (curl, the CLI), are not concerned.
 */
final class Cors {
    static final String ALLOWED_METHODS = "GET, POST, DELETE, OPTIONS";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Last-Event-ID";
    private static final String MAX_AGE_SECONDS = "600";

    private final Set<String> origins;

    /** @param origins normalised origins ({@link ServerCheck#corsOrigins()}) */
    Cors(List<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    /** True for a preflight request (OPTIONS with Origin and Access-Control-Request-Method). */
    static boolean isPreflight(Request request) {
        return request.getMethod().equals("OPTIONS") && request.getHeaders().contains(HttpHeader.ORIGIN)
                && request.getHeaders().contains(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /**
     * Adds the CORS headers an allowed origin gets; refuses a write from a foreign origin and a preflight from an
     * origin not allowed (403).
     */
    void apply(Request request, Response response) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return;
        }
        boolean allowed = origins.contains(origin.toLowerCase(Locale.ROOT));
        if (allowed) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.getHeaders().add(HttpHeader.VARY, "Origin");
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, "plasmite-version");
            if (isPreflight(request)) {
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
            }
            return;
        }
        if (sameOrigin(request, origin)) {
            return;
        }
        String method = request.getMethod();
        if (isPreflight(request) || method.equals("POST") || method.equals("DELETE") || method.equals("PUT")
                || isUpgrade(request)) {
            throw new Refusal(403, ErrorKind.PERMISSION, "forbidden: origin " + origin + " is not allowed",
                    "start the server with --cors-origin " + origin + " to let pages from it in");
        }
    }

    /**
     * A WebSocket upgrade: browsers let any page open one to any server (no CORS), and it can write; it is refused
     * from a foreign origin like a POST.
     */
    private static boolean isUpgrade(Request request) {
        String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    private static boolean sameOrigin(Request request, String origin) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        return host != null && origin.equalsIgnoreCase((request.isSecure() ? "https://" : "http://") + host);
    }
}
