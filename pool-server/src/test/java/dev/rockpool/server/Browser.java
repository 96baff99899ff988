package dev.rockpool.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.pool.JsonTrees;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium (Debian's {@code chromium}), driven over the Chrome DevTools Protocol with Jetty's
 * WebSocket client: pages are opened, read with JavaScript, typed into with {@code Input.insertText} and clicked with
 * mouse events at the element's place, as a user would.
 */
final class Browser implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocketClient client = new WebSocketClient();
    private final Devtools devtools = new Devtools();

    /** The chromium binary on the PATH, or null. */
    static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    Browser(Path binary, Path workDir) throws Exception {
        profile = Files.createTempDirectory(workDir, "chromium-profile");
        List<String> command = List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank");
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("chromium.log").toFile()).start();
        client.start();
        client.connect(devtools, URI.create(debuggerUrl())).get(30, TimeUnit.SECONDS);
    }

    /** Chromium writes its port and browser path to DevToolsActivePort in the profile once it listens. */
    private String debuggerUrl() throws InterruptedException, IOException {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() >= 2) {
                    return "ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim();
                }
            }
            if (!process.isAlive()) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("chromium did not start its DevTools server; see chromium.log");
    }

    /** A new tab. */
    Page open(String url) {
        String target = devtools.call(null, "Target.createTarget", Map.of("url", "about:blank"))
                .get("targetId").asText();
        String session = devtools.call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .get("sessionId").asText();
        Page page = new Page(session, target);
        page.call("Runtime.enable", Map.of());
        page.call("Page.enable", Map.of());
        page.navigate(url);
        return page;
    }

    /** One tab: its JavaScript, its input, and the exceptions its scripts threw. */
    final class Page {
        private final String session;
        private final String target;

        Page(String session, String target) {
            this.session = session;
            this.target = target;
        }

        JsonNode call(String method, Map<String, Object> params) {
            return devtools.call(session, method, params);
        }

        void navigate(String url) {
            call("Page.navigate", Map.of("url", url));
            await("document.readyState === 'complete' && location.href === " + json(url), Duration.ofSeconds(30));
        }

        /** Evaluates an expression (a promise is awaited); its value as JSON. */
        JsonNode eval(String expression) {
            JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                    "awaitPromise", true));
            if (r.has("exceptionDetails")) {
                throw new AssertionError("page threw on " + expression + ": " + r.get("exceptionDetails"));
            }
            return r.at("/result/value");
        }

        /** Waits until a JavaScript condition holds; the time it took. Fails, saying what the page shows, if not. */
        Duration await(String condition, Duration timeout) {
            long start = System.nanoTime();
            long deadline = start + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode value = eval("(() => { try { return Boolean(" + condition + "); } catch (e) { return false; }"
                        + " })()");
                if (value.asBoolean()) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
                checkNoExceptions();
                sleep(10);
            }
            throw new AssertionError("the page never showed " + condition + "; it shows: "
                    + eval("document.body ? document.body.innerText : ''").asText() + "; exceptions: "
                    + devtools.exceptions);
        }

        /** Types into a field as a user: focus it, select what is there, insert the text (an input event). */
        void type(String selector, String text) {
            eval("(() => { const e = document.querySelector(" + json(selector) + "); e.focus(); e.select(); })()");
            call("Input.insertText", Map.of("text", text));
        }

        /** Clicks an element with the mouse, at its centre. */
        void click(String selector) {
            JsonNode box = eval("(() => { const e = document.querySelector(" + json(selector) + ");"
                    + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                    + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
            for (String type : new String[] {"mousePressed", "mouseReleased"}) {
                call("Input.dispatchMouseEvent", Map.of("type", type, "x", box.get("x").asDouble(),
                        "y", box.get("y").asDouble(), "button", "left", "clickCount", 1));
            }
        }

        void checkNoExceptions() {
            if (!devtools.exceptions.isEmpty()) {
                throw new AssertionError("the page's scripts threw: " + devtools.exceptions);
            }
        }

        void close() {
            devtools.call(null, "Target.closeTarget", Map.of("targetId", target));
        }
    }

    static String json(String text) {
        try {
            return JsonTrees.MAPPER.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The DevTools connection: commands by id, answers matched to them, page exceptions collected. */
    public static final class Devtools implements Session.Listener.AutoDemanding {
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        final List<String> exceptions = new CopyOnWriteArrayList<>();
        private volatile Session session;

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketText(String text) {
            JsonNode m;
            try {
                m = JsonTrees.MAPPER.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                if (f != null) {
                    f.complete(m);
                }
            } else if ("Runtime.exceptionThrown".equals(m.path("method").asText())) {
                exceptions.add(m.at("/params/exceptionDetails").toString());
            }
        }

        JsonNode call(String sessionId, String method, Map<String, Object> params) {
            int id = ids.incrementAndGet();
            ObjectNode message = JsonTrees.MAPPER.createObjectNode().put("id", id).put("method", method);
            message.set("params", JsonTrees.MAPPER.valueToTree(params));
            if (sessionId != null) {
                message.put("sessionId", sessionId);
            }
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            session.sendText(message.toString(), Callback.NOOP);
            try {
                JsonNode r = answer.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (r.has("error")) {
                    throw new AssertionError(method + " failed: " + r.get("error"));
                }
                return r.get("result");
            } catch (Exception e) {
                throw new AssertionError(method + " got no answer", e);
            }
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // stopping anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(profile);
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>();
            files.forEach(all::add);
            for (int i = all.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(all.get(i));
            }
        } catch (IOException e) {
            // a profile left in the temp dir: the test's own temporary directory removes it
        }
    }
}
