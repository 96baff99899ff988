package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import org.eclipse.jetty.http.HttpHeader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The web UI at {@code /ui}: plain HTML, CSS and JavaScript served from the jar, no build step. The files need no
 * token (they hold no data); everything the page shows comes from the API, with the token the user types sent as a
 * header. A strict Content-Security-Policy lets the page load nothing but its own files and talk to this server only.
 */
final class UiRoute {
    private static final String RESOURCES = "/dev/rockpool/server/ui/";
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record File(String contentType, byte[] bytes) {
    }

    private final Map<String, File> files = Map.of(
            "index.html", load("index.html", "text/html; charset=utf-8"),
            "app.js", load("app.js", "text/javascript; charset=utf-8"),
            "style.css", load("style.css", "text/css; charset=utf-8"));

    private static File load(String name, String contentType) {
        try (InputStream in = UiRoute.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the UI's " + name + " is missing from the jar");
            }
            return new File(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET /ui}, {@code /ui/} and {@code /ui/{file}}. */
    void serve(Exchange x) {
        String name = x.vars.isEmpty() || x.vars.get(0).isEmpty() ? "index.html" : x.vars.get(0);
        File file = files.get(name);
        if (file == null) {
            throw new Refusal(404, ErrorKind.NOT_FOUND, "no such file in the UI: " + name, null);
        }
        x.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        x.response.getHeaders().put("X-Content-Type-Options", "nosniff");
        x.response.getHeaders().put("Referrer-Policy", "no-referrer");
        x.response.getHeaders().put("Content-Security-Policy", POLICY);
        x.send(200, file.contentType(), file.bytes());
    }

    /** {@code GET /} from a browser: the UI. */
    void redirect(Exchange x) {
        x.response.getHeaders().put(HttpHeader.LOCATION, "/ui/");
        x.send(302, Exchange.JSON, "{\"ui\":\"/ui/\"}".getBytes(StandardCharsets.US_ASCII));
    }
}
