package dev.rockpool.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * plasmite's remote protocol v0 against the real server over a socket: every endpoint, the bodies' shapes (the
 * field sets plasmite's own client requires), and every error status the protocol maps.
 */
class ProtocolTest {
    @TempDir
    Path dir;
    TestServer s;

    @BeforeEach
    void start() {
        s = new TestServer(dir);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void createOpenInfoListDelete() {
        TestServer.Reply created = s.post("/v0/pools", "{\"pool\":\"chat\",\"size_bytes\":1048576}");
        assertEquals(200, created.status());
        assertEquals("0", created.header("plasmite-version"));
        assertTrue(created.header("content-type").startsWith("application/json"));
        JsonNode pool = created.json().get("pool");
        assertPoolInfoShape(pool);
        assertEquals("chat", pool.get("name").asText());
        assertEquals(1048576, pool.get("file_size").asLong());
        assertEquals("{}", pool.get("bounds").toString());

        assertEquals(pool.get("pool_id"), s.post("/v0/pools/open", "{\"pool\":\"chat\"}").json().at("/pool/pool_id"));
        assertEquals(pool.get("pool_id"), s.get("/v0/pools/chat/info").json().at("/pool/pool_id"));
        JsonNode pools = s.get("/v0/pools").json().get("pools");
        assertEquals(1, pools.size());
        assertPoolInfoShape(pools.get(0));

        TestServer.Reply deleted = s.delete("/v0/pools/chat");
        assertEquals(200, deleted.status());
        assertEquals("{\"ok\":true}", deleted.body());
        assertEquals(0, s.get("/v0/pools").json().get("pools").size());
        assertFalse(Files.exists(dir.resolve("chat.pool")));
    }

    @Test
    void createWithoutSizeTakesTheDefault() {
        JsonNode pool = s.post("/v0/pools", "{\"pool\":\"d\"}").json().get("pool");
        assertEquals(PoolOptions.DEFAULT_SIZE, pool.get("file_size").asLong());
    }

    @Test
    void appendGetAndTheMessageEnvelope() {
        s.post("/v0/pools", "{\"pool\":\"p\",\"size_bytes\":1048576}");
        TestServer.Reply appended = s.post("/v0/pools/p/append",
                "{\"data\":{\"kind\":\"note\",\"n\":1.10},\"tags\":[\"a\",\"b\"],\"durability\":\"flush\"}");
        assertEquals(200, appended.status());
        JsonNode message = appended.json().get("message");
        assertEquals(Set.of("seq", "time", "meta", "data"), fields(message));
        assertEquals(Set.of("tags"), fields(message.get("meta")));
        assertEquals(1, message.get("seq").asLong());
        assertTrue(message.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));
        assertEquals("[\"a\",\"b\"]", message.at("/meta/tags").toString());
        assertTrue(appended.body().contains("\"data\":{\"kind\":\"note\",\"n\":1.10}"), "numbers kept as written");

        TestServer.Reply got = s.get("/v0/pools/p/messages/1");
        assertEquals(appended.body(), got.body());
        JsonNode info = s.get("/v0/pools/p/info").json().get("pool");
        assertEquals("{\"oldest\":1,\"newest\":1}", info.get("bounds").toString());
        assertEquals(1, info.at("/metrics/message_count").asLong());
    }

    @Test
    void appendWithoutTagsOrDurability() {
        s.post("/v0/pools", "{\"pool\":\"p\",\"size_bytes\":1048576}");
        JsonNode m = s.post("/v0/pools/p/append", "{\"data\":{\"x\":1}}").json().get("message");
        assertEquals("[]", m.at("/meta/tags").toString());
    }

    @Test
    void batchAppendIsAllOrNothingWithReceipts() {
        s.post("/v0/pools", "{\"pool\":\"p\",\"size_bytes\":1048576}");
        TestServer.Reply batch = s.post("/v0/pools/p/append_batch?tag=logs&tag=edge",
                "{\"n\":1}\n{\"n\":2}\n\n{ \"n\" : 3 }\n");
        assertEquals(200, batch.status());
        JsonNode receipts = batch.json().get("messages");
        assertEquals(3, receipts.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, receipts.get(i).get("seq").asLong());
            assertEquals("[\"logs\",\"edge\"]", receipts.get(i).at("/meta/tags").toString());
        }
        assertEquals("{\"n\":3}", s.get("/v0/pools/p/messages/3").json().at("/message/data").toString());

        TestServer.Reply bad = s.post("/v0/pools/p/append_batch", "{\"n\":4}\n[5]\n{\"n\":6}\n");
        assertEquals(400, bad.status());
        assertTrue(bad.json().at("/error/message").asText().contains("record 2"));
        assertEquals(3, s.get("/v0/pools/p/info").json().at("/pool/message_count").asLong(), "nothing appended");
        assertEquals(400, s.post("/v0/pools/p/append_batch", "").status());
    }

    @Test
    void everyErrorStatusWithItsEnvelope() throws Exception {
        s.post("/v0/pools", "{\"pool\":\"p\",\"size_bytes\":1048576}");
        assertError(s.post("/v0/pools", "{\"pool\":\"p\"}"), 409, "AlreadyExists");
        assertError(s.get("/v0/pools/missing/info"), 404, "NotFound");
        assertError(s.post("/v0/pools/open", "{\"pool\":\"missing\"}"), 404, "NotFound");
        assertError(s.delete("/v0/pools/missing"), 404, "NotFound");
        assertError(s.get("/v0/pools/p/messages/7"), 404, "NotFound");
        assertError(s.get("/v0/nothing/here"), 404, "NotFound");
        assertError(s.post("/v0/pools/p/append", "{\"data\":[1]}"), 400, "Usage");
        assertError(s.post("/v0/pools/p/append", "{\"tags\":[]}"), 400, "Usage");
        assertError(s.post("/v0/pools/p/append", "not json"), 400, "Usage");
        assertError(s.post("/v0/pools/p/append", "{\"data\":{},\"durability\":\"later\"}"), 400, "Usage");
        assertError(s.post("/v0/pools", "{\"pool\":\"q\",\"size_bytes\":10}"), 400, "Usage");
        assertError(s.get("/v0/pools/p/messages/zero"), 400, "Usage");
        assertError(s.get("/v0/pools/p/tail?gap_policy=sometimes"), 400, "Usage");
        assertError(s.get("/v0/pools/p/tail?where=.data%20%7C"), 400, "Usage");
        assertError(s.get("/v0/pools/p/tail?timeout_ms=3600000"), 400, "Usage");
        assertError(s.get("/v0/pools/p/tail_lite3"), 400, "Usage");
        assertError(s.method("PUT", "/v0/pools/p/info"), 405, "Usage");
        // A body over the limit (1 MiB) is refused: declared (with Expect: 100-continue, as curl sends for large
        // bodies, the client learns it before sending the body) or found while reading a chunked body.
        String big = "{\"data\":{\"big\":\"" + "x".repeat(1 << 20) + "\"}}";
        assertEquals(413, rawPost(s, "Content-Length: " + big.length() + "\r\nExpect: 100-continue", ""));
        assertEquals(413, rawPost(s, "Transfer-Encoding: chunked", Integer.toHexString(big.length()) + "\r\n" + big
                + "\r\n0\r\n\r\n"));
        assertEquals(0, s.get("/v0/pools/p/info").json().at("/pool/message_count").asLong());
    }

    @Test
    void statusOfEveryKind() {
        int[] expected = {500, 400, 404, 409, 423, 403, 500, 500, 410};
        ErrorKind[] kinds = ErrorKind.values();
        for (int i = 0; i < kinds.length; i++) {
            assertEquals(expected[i], Refusal.statusOf(new PoolException(kinds[i], "x")), kinds[i].label());
        }
    }

    @Test
    void listShowsAnUnreadablePoolWithItsError() throws Exception {
        try (Pool pool = Pool.create(dir.resolve("good.pool"), PoolOptions.ofSize(1 << 20))) {
            pool.append(Draft.of("{\"a\":1}"));
        }
        Files.write(dir.resolve("bad.pool"), new byte[8192]);
        JsonNode pools = s.get("/v0/pools").json().get("pools");
        assertEquals(2, pools.size());
        assertEquals("Corrupt", pools.get(0).at("/error/kind").asText());
        assertEquals("good", pools.get(1).get("name").asText());
        assertError(s.post("/v0/pools/open", "{\"pool\":\"bad\"}"), 500, "Corrupt");
    }

    /** A POST on a plain socket (the JDK's client mishandles a final status in answer to Expect: 100-continue). */
    private static int rawPost(TestServer s, String headers, String body) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket(s.address.getAddress(), s.address.getPort())) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /v0/pools/p/append HTTP/1.1\r\nHost: t\r\n" + headers + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            try {
                out.write(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (java.io.IOException e) {
                // the server may close its side once it has answered
            }
            byte[] head = socket.getInputStream().readNBytes(12);
            return Integer.parseInt(new String(head, java.nio.charset.StandardCharsets.US_ASCII).substring(9, 12));
        }
    }

    static void assertError(TestServer.Reply r, int status, String kind) {
        assertEquals(status, r.status(), r.body());
        assertEquals("0", r.header("plasmite-version"));
        JsonNode error = r.json().get("error");
        assertEquals(kind, error.get("kind").asText(), r.body());
        assertFalse(error.get("message").asText().isEmpty());
    }

    /** The fields plasmite's client requires of a pool (PoolInfoWire), and the types it reads them as. */
    static void assertPoolInfoShape(JsonNode pool) {
        for (String f : List.of("path", "file_size", "index_offset", "index_capacity", "index_size_bytes",
                "ring_offset", "ring_size", "bounds", "metrics")) {
            assertTrue(pool.has(f), f);
        }
        assertTrue(pool.get("file_size").isIntegralNumber() && pool.get("ring_offset").isIntegralNumber());
        JsonNode metrics = pool.get("metrics");
        assertEquals(Set.of("message_count", "seq_span", "utilization", "age"), fields(metrics));
        assertEquals(Set.of("used_bytes", "free_bytes", "used_percent"), fields(metrics.get("utilization")));
        assertEquals(Set.of("oldest_time", "newest_time", "oldest_age_ms", "newest_age_ms"),
                fields(metrics.get("age")));
    }

    static Set<String> fields(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
