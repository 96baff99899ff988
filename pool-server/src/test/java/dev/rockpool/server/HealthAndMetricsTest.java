package dev.rockpool.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /healthz and /hc really check, and turn back; /metrics is there and moves. */
class HealthAndMetricsTest {
    @TempDir
    Path dir;

    @Test
    void healthTurns503WithTheReasonAndBack() throws IOException {
        Path pools = Files.createDirectory(dir.resolve("pools"));
        try (TestServer s = new TestServer(pools)) {
            s.post("/v0/pools", "{\"pool\":\"good\",\"size_bytes\":65536}");
            for (String path : new String[] {"/healthz", "/hc"}) {
                TestServer.Reply ok = s.get(path);
                assertEquals(200, ok.status());
                assertTrue(ok.json().get("ok").asBoolean());
                assertEquals(1, ok.json().at("/checks/pools/checked").asInt());
            }

            // a pool whose header fails its check
            Path bad = pools.resolve("bad.pool");
            Files.write(bad, new byte[65536]);
            TestServer.Reply corrupt = s.get("/healthz");
            assertEquals(503, corrupt.status());
            JsonNode body = corrupt.json();
            assertFalse(body.get("ok").asBoolean());
            assertTrue(body.get("reason").asText().contains("bad"), body.toString());
            assertEquals("Corrupt", body.at("/checks/pools/failed/0/kind").asText());
            assertEquals(503, s.get("/hc").status());
            Files.delete(bad);
            assertEquals(200, s.get("/healthz").status());

            // a pool directory that is gone
            Path moved = dir.resolve("moved");
            Files.move(pools, moved, StandardCopyOption.ATOMIC_MOVE);
            TestServer.Reply gone = s.get("/healthz");
            assertEquals(503, gone.status());
            assertTrue(gone.json().get("reason").asText().contains("does not exist"));
            Files.move(moved, pools, StandardCopyOption.ATOMIC_MOVE);
            assertEquals(200, s.get("/healthz").status());
        }
    }

    @Test
    void metricsArePresentAndMove() throws Exception {
        try (TestServer s = new TestServer(dir)) {
            s.post("/v0/pools", "{\"pool\":\"p\",\"size_bytes\":1048576}");
            String before = s.get("/metrics").body();
            assertTrue(before.contains("rockpool_pool_messages{pool=\"p\"} 0.0"), before);
            for (int i = 0; i < 3; i++) {
                s.post("/v0/pools/p/append", "{\"data\":{\"i\":" + i + "}}");
            }
            s.post("/v0/pools/p/append_batch", "{\"i\":3}\n{\"i\":4}\n");
            s.get("/v0/pools/p/tail?max=5");
            s.get("/v0/pools/nope/info");
            TestServer.Reply scraped = s.get("/metrics");
            assertEquals(200, scraped.status());
            assertTrue(scraped.header("content-type").startsWith("text/plain; version=0.0.4"));
            String m = scraped.body();
            for (String expected : new String[] {
                "rockpool_pool_messages{pool=\"p\"} 5.0",
                "rockpool_pool_newest_seq{pool=\"p\"} 5.0",
                "rockpool_pool_appends_total{pool=\"p\"} 5.0",
                "rockpool_server_messages_delivered_total{pool=\"p\"} 5.0",
                "rockpool_server_requests_total{method=\"POST\",route=\"/v0/pools/{pool}/append\",status=\"200\"} 3.0",
                "rockpool_server_requests_total{method=\"GET\",route=\"/v0/pools/{pool}/info\",status=\"404\"} 1.0",
                "rockpool_server_streams_open{kind=\"tail\",pool=\"p\"} 0.0",
                "# TYPE rockpool_pool_bytes_used gauge"}) {
                assertTrue(m.contains(expected), expected + " in\n" + m);
            }
        }
    }
}
