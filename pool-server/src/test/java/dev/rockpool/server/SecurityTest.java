package dev.rockpool.server;

import dev.rockpool.pool.PoolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.rockpool.server.ProtocolTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Authentication, access modes, CORS and path attacks against the real server. */
class SecurityTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private Path tokenFile() throws IOException {
        Path f = dir.resolve("token.txt");
        Files.writeString(f, TOKEN + "\n");
        return f;
    }

    @Test
    void bearerTokenMissingWrongOrMalformed() throws IOException {
        Path pools = Files.createDirectory(dir.resolve("pools"));
        Path token = tokenFile();
        try (TestServer s = new TestServer(pools, b -> b.tokenFile(token))) {
            assertError(s.get("/v0/pools"), 401, "Permission");
            assertEquals("Bearer realm=\"rockpool\"", s.get("/v0/pools").header("www-authenticate"));
            assertError(s.get("/v0/pools", "Authorization", "Bearer wrong"), 401, "Permission");
            assertError(s.get("/v0/pools", "Authorization", "Token " + TOKEN), 401, "Permission");
            assertError(s.get("/v0/pools", "Authorization", "Bearer " + TOKEN + ", Bearer evil"), 401, "Permission");
            assertError(s.get("/v0/pools", "Authorization", "Bearer " + TOKEN.substring(1)), 401, "Permission");
            assertError(s.get("/v0/pools/x/tail", "Authorization", "bearer"), 401, "Permission");
            assertError(s.get("/v0/pools", "Authorization", "Bearer " + TOKEN.toUpperCase()), 401, "Permission");
            assertEquals(200, s.get("/v0/pools", "Authorization", "bearer " + TOKEN).status());
            assertError(s.get("/metrics"), 401, "Permission");
            TestServer.Reply ok = s.get("/v0/pools", "Authorization", "Bearer " + TOKEN);
            assertEquals(200, ok.status(), ok.body());
            assertEquals(200, s.post("/v0/pools", "{\"pool\":\"a\",\"size_bytes\":65536}", "Authorization",
                    "Bearer " + TOKEN).status());
            // health stays open for load balancers, without names or paths
            TestServer.Reply health = s.get("/healthz");
            assertEquals(200, health.status());
            assertFalse(health.body().contains(pools.toString()));
            assertTrue(s.get("/healthz", "Authorization", "Bearer " + TOKEN).body().contains(pools.toString()));
        }
    }

    @Test
    void everyPushRouteNeedsTheTokenAndTheUiFilesDoNot() throws Exception {
        Path pools = Files.createDirectory(dir.resolve("pools"));
        Path token = tokenFile();
        String origin = "https://app.example.com";
        try (TestServer s = new TestServer(pools, b -> b.tokenFile(token).plasmaPool("p").corsOrigin(origin));
             WsClient ws = new WsClient()) {
            assertEquals(200, s.post("/v0/pools", "{\"pool\":\"p\",\"size_bytes\":65536}", "Authorization",
                    "Bearer " + TOKEN).status());
            for (String path : new String[] {"/v0/pools/p/events", "/v0/events?pool=p", "/?eventType=a",
                    "/v0/server"}) {
                for (String[] wrong : new String[][] {{}, {"Authorization", "Bearer nope"}}) {
                    try (SseClient refused = SseClient.open(s, path, wrong)) {
                        assertEquals(401, refused.status(), path);
                        assertTrue(refused.errorBody().contains("\"Permission\""), path);
                    }
                }
                try (SseClient ok = SseClient.open(s, path, "Authorization", "Bearer " + TOKEN, "Origin", origin)) {
                    assertEquals(200, ok.status(), path);
                    assertEquals(origin, ok.response.headers().firstValue("access-control-allow-origin").orElse(null),
                            "a page of an allowed origin may read it: " + path);
                }
            }
            String socket = s.base.replaceFirst("^http", "ws") + "/v0/pools/p/ws";
            assertEquals(401, ws.refusal(socket));
            assertEquals(401, ws.refusal(socket, "Authorization", "Bearer nope"));
            ws.connect(socket, "Authorization", "Bearer " + TOKEN).session.close();
            for (String file : new String[] {"/ui", "/ui/", "/ui/app.js", "/ui/style.css"}) {
                TestServer.Reply ui = s.get(file);
                assertEquals(200, ui.status(), file);
                assertTrue(ui.header("content-security-policy").contains("default-src 'none'"), file);
                assertEquals("nosniff", ui.header("x-content-type-options"));
            }
            assertTrue(s.get("/ui").header("content-type").startsWith("text/html"));
            assertFalse(s.get("/ui/app.js").body().contains(TOKEN));
            assertError(s.get("/ui/secrets.txt"), 404, "NotFound");
            assertEquals(302, s.get("/").status(), "a browser at / is sent to the UI, token or not");
        }
    }

    @Test
    void pushRoutesFollowTheAccessMode() {
        try (TestServer rw = new TestServer(dir)) {
            rw.post("/v0/pools", "{\"pool\":\"p\",\"size_bytes\":65536}");
        }
        try (TestServer wo = new TestServer(dir, b -> b.access(AccessMode.WRITE_ONLY).plasmaPool("p"))) {
            assertError(wo.get("/v0/pools/p/events"), 403, "Permission");
            assertError(wo.get("/v0/events?pool=p"), 403, "Permission");
            assertError(wo.get("/?eventType=a", "Accept", "text/event-stream"), 403, "Permission");
            assertEquals("write-only", wo.get("/v0/server").json().at("/server/access").asText());
        }
    }

    @Test
    void readOnlyAndWriteOnly() {
        try (TestServer rw = new TestServer(dir)) {
            rw.post("/v0/pools", "{\"pool\":\"p\",\"size_bytes\":65536}");
            rw.post("/v0/pools/p/append", "{\"data\":{\"n\":1}}");
        }
        try (TestServer ro = new TestServer(dir, b -> b.access(AccessMode.READ_ONLY))) {
            assertEquals(200, ro.get("/v0/pools/p/messages/1").status());
            assertEquals(200, ro.get("/v0/pools/p/tail?max=1").status());
            assertEquals(200, ro.post("/v0/pools/open", "{\"pool\":\"p\"}").status());
            assertError(ro.post("/v0/pools/p/append", "{\"data\":{\"n\":2}}"), 403, "Permission");
            assertError(ro.post("/v0/pools/p/append_batch", "{\"n\":2}"), 403, "Permission");
            assertError(ro.post("/v0/pools", "{\"pool\":\"q\"}"), 403, "Permission");
            assertError(ro.delete("/v0/pools/p"), 403, "Permission");
        }
        try (TestServer wo = new TestServer(dir, b -> b.access(AccessMode.WRITE_ONLY))) {
            assertEquals(200, wo.post("/v0/pools/p/append", "{\"data\":{\"n\":2}}").status());
            assertError(wo.get("/v0/pools/p/messages/1"), 403, "Permission");
            assertError(wo.get("/v0/pools/p/tail"), 403, "Permission");
            assertError(wo.get("/v0/pools"), 403, "Permission");
            assertError(wo.get("/v0/pools/p/info"), 403, "Permission");
            assertEquals(200, wo.get("/healthz").status());
        }
    }

    @Test
    void corsForExactOriginsOnly() {
        String allowed = "https://app.example.com";
        try (TestServer s = new TestServer(dir, b -> b.corsOrigin(allowed + "/"))) {
            TestServer.Reply ok = s.get("/v0/pools", "Origin", allowed);
            assertEquals(200, ok.status());
            assertEquals(allowed, ok.header("access-control-allow-origin"));
            TestServer.Reply preflight = s.method("OPTIONS", "/v0/pools/p/append", "Origin", allowed,
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization");
            assertEquals(204, preflight.status());
            assertEquals(allowed, preflight.header("access-control-allow-origin"));
            assertTrue(preflight.header("access-control-allow-methods").contains("POST"));
            assertTrue(preflight.header("access-control-allow-headers").contains("Authorization"));

            for (String evil : new String[] {"https://evil.example", "*", "https://app.example.com.evil.example",
                    "http://app.example.com", "null"}) {
                TestServer.Reply read = s.get("/v0/pools", "Origin", evil);
                assertEquals(200, read.status());
                assertNull(read.header("access-control-allow-origin"), evil);
                TestServer.Reply denied = s.method("OPTIONS", "/v0/pools", "Origin", evil,
                        "Access-Control-Request-Method", "GET");
                assertError(denied, 403, "Permission");
                assertNull(denied.header("access-control-allow-origin"));
                // a write from a foreign page (a form post needs no preflight) is refused outright
                assertError(s.post("/v0/pools", "{\"pool\":\"csrf\"}", "Origin", evil), 403, "Permission");
            }
            assertFalse(Files.exists(dir.resolve("csrf.pool")));
            String self = "http://" + s.address.getAddress().getHostAddress() + ":" + s.address.getPort();
            assertEquals(200, s.post("/v0/pools", "{\"pool\":\"mine\",\"size_bytes\":65536}", "Origin", self)
                    .status());
        }
    }

    @Test
    void corsOriginsAreValidated() {
        for (String bad : new String[] {"*", "https://*.example.com", "ftp://x", "https://x/path", "https://u@x",
                "https://x?q", "example.com"}) {
            PoolException e = assertThrows(PoolException.class,
                    () -> ServerConfig.builder(dir).corsOrigin(bad).build().check(), bad);
            assertTrue(e.getMessage().contains("CORS origin"), e.getMessage());
        }
        assertEquals("http://localhost:5173", ServerConfig.builder(dir).corsOrigin("HTTP://LocalHost:5173").build()
                .check().corsOrigins().get(0));
    }

    @Test
    void namesAndPathsCannotEscapeThePoolDirectory() throws IOException {
        Path pools = Files.createDirectory(dir.resolve("pools"));
        try (TestServer s = new TestServer(pools)) {
            for (String name : new String[] {"../x", "/tmp/evil", "a/b", "..", ".hidden", "a\\b", "-x", ""}) {
                assertError(s.post("/v0/pools", "{\"pool\":\"" + name.replace("\\", "\\\\") + "\",\"size_bytes\":"
                        + "65536}"), 400, "Usage");
                assertError(s.post("/v0/pools/open", "{\"pool\":\"" + name.replace("\\", "\\\\") + "\"}"), 400,
                        "Usage");
            }
            for (String path : new String[] {"/v0/pools/%2e%2e/info", "/v0/pools/..%2Fx/info",
                    "/v0/pools/a%2Fb/info", "/v0/pools/%2E%2E%2F%2E%2E%2Fetc/info", "/v0/pools/x%5C..%5Cy/info",
                    "/v0/pools/%00/info"}) {
                assertError(s.get(path), 400, "Usage");
            }
            // dot segments are resolved before routing: /v0/pools/../../etc/info is /etc/info, no route
            assertEquals("HTTP/1.1 404", raw(s, "GET /v0/pools/../../etc/info HTTP/1.1").substring(0, 12));
            assertEquals("HTTP/1.1 400", raw(s, "DELETE /v0/pools/%2e%2e HTTP/1.1").substring(0, 12));
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count(), "nothing was created beside the pool directory");
            }
        }
    }

    /** Sends a request line as is (no client normalises it) and returns the response head. */
    private static String raw(TestServer s, String requestLine) throws IOException {
        try (Socket socket = new Socket(s.address.getAddress(), s.address.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
