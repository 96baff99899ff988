package dev.rockpool.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON Lines tail: plasmite's parameters, rockpool's, and the stream limits. */
class StreamTest {
    @TempDir
    Path dir;

    static List<JsonNode> lines(TestServer.Reply r) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (!line.isEmpty()) {
                try {
                    out.add(JsonTrees.MAPPER.readTree(line));
                } catch (IOException e) {
                    throw new AssertionError(line, e);
                }
            }
        }
        return out;
    }

    static List<Long> seqs(List<JsonNode> lines) {
        List<Long> out = new ArrayList<>();
        lines.forEach(l -> out.add(l.get("seq").asLong()));
        return out;
    }

    private void pool(String name, long size, int messages) {
        try (Pool p = Pool.create(dir.resolve(name + ".pool"), PoolOptions.ofSize(size))) {
            for (int i = 1; i <= messages; i++) {
                p.append(Draft.of("{\"n\":" + i + ",\"even\":" + (i % 2 == 0) + "}", i % 2 == 0 ? "even" : "odd",
                        "all"));
            }
        }
    }

    @Test
    void plasmiteParameters() {
        pool("p", 1 << 20, 10);
        try (TestServer s = new TestServer(dir)) {
            TestServer.Reply r = s.get("/v0/pools/p/tail?since_seq=4&max=3&timeout_ms=2000");
            assertEquals(200, r.status());
            assertEquals("application/jsonl", r.header("content-type"));
            assertEquals("0", r.header("plasmite-version"));
            assertEquals(List.of(4L, 5L, 6L), seqs(lines(r)), "since_seq is inclusive, max counts");
            assertEquals(List.of(1L, 2L), seqs(lines(s.get("/v0/pools/p/tail?max=2&timeout_ms=2000"))),
                    "no since_seq: from the oldest");
            assertEquals(List.of(4L, 6L, 8L, 10L), seqs(lines(s.get(
                    "/v0/pools/p/tail?since_seq=3&tag=even&tag=all&timeout_ms=300"))), "tags: all required");
            assertEquals(List.of(), seqs(lines(s.get("/v0/pools/p/tail?tag=even&tag=odd&timeout_ms=300"))));
            assertEquals(List.of(), seqs(lines(s.get("/v0/pools/p/tail?since_seq=9999&timeout_ms=300"))),
                    "a seq beyond the newest waits for it until the deadline");
            JsonNode first = lines(s.get("/v0/pools/p/tail?max=1&timeout_ms=2000")).get(0);
            assertEquals(ProtocolTest.fields(first), java.util.Set.of("seq", "time", "meta", "data"));
            assertEquals("{\"n\":1,\"even\":false}", first.get("data").toString());
        }
    }

    @Test
    void rockpoolParameters() {
        pool("p", 1 << 20, 10);
        try (TestServer s = new TestServer(dir)) {
            assertEquals(List.of(7L, 9L), seqs(lines(s.get(
                    "/v0/pools/p/tail?where=.data.n%20%3E%205&where=.data.even%20|%20not&timeout_ms=300"
                            .replace("|", "%7C")))), "where: every predicate must hold");
            TestServer.Reply last = s.get("/v0/pools/p/tail?tail=3&timeout_ms=300");
            assertEquals(List.of(8L, 9L, 10L), seqs(lines(last)));
            assertEquals("8", last.header("rockpool-start-seq"));
            assertEquals(List.of(6L, 8L, 10L), seqs(lines(s.get("/v0/pools/p/tail?tail=3&tag=even&timeout_ms=300"))),
                    "tail=N counts matching messages");
            assertEquals(List.of(), seqs(lines(s.get("/v0/pools/p/tail?tail=0&timeout_ms=300"))), "tail=0: from now");
            List<Long> all = seqs(lines(s.get("/v0/pools/p/tail?follow=false&timeout_ms=20000")));
            assertEquals(10, all.size(), "follow=false ends once caught up, long before the deadline");
            ProtocolTest.assertError(s.get("/v0/pools/p/tail?since_seq=1&tail=2"), 400, "Usage");
            ProtocolTest.assertError(s.get("/v0/pools/p/tail?max=-1"), 400, "Usage");
            ProtocolTest.assertError(s.get("/v0/pools/missing/tail"), 404, "NotFound");
        }
    }

    @Test
    void liveMessagesReachAWaitingTail() throws Exception {
        pool("p", 1 << 20, 0);
        try (TestServer s = new TestServer(dir)) {
            CompletableFuture<HttpResponse<String>> waiting = s.http.sendAsync(
                    s.request("/v0/pools/p/tail?tail=0&max=3&timeout_ms=20000").build(),
                    HttpResponse.BodyHandlers.ofString());
            TimeUnit.MILLISECONDS.sleep(200);
            for (int i = 0; i < 3; i++) {
                s.post("/v0/pools/p/append", "{\"data\":{\"i\":" + i + "}}");
            }
            HttpResponse<String> r = waiting.get(20, TimeUnit.SECONDS);
            assertEquals(List.of(1L, 2L, 3L), seqs(lines(new TestServer.Reply(r.statusCode(), r.body(), r))));
        }
    }

    @Test
    void gapPolicies() {
        pool("small", 64 * 1024, 0);
        try (TestServer s = new TestServer(dir)) {
            String pad = "x".repeat(1000);
            for (int i = 0; i < 200; i++) {
                s.post("/v0/pools/small/append", "{\"data\":{\"pad\":\"" + pad + "\"}}");
            }
            long oldest = s.get("/v0/pools/small/info").json().at("/pool/bounds/oldest").asLong();
            assertTrue(oldest > 1);
            List<JsonNode> cont = lines(s.get("/v0/pools/small/tail?since_seq=1&max=1&timeout_ms=2000"));
            assertEquals(oldest, cont.get(0).get("seq").asLong(), "continue: on with the oldest left");
            TestServer.Reply strict = s.get("/v0/pools/small/tail?since_seq=1&tag=never&gap_policy=error"
                    + "&timeout_ms=2000");
            assertEquals(200, strict.status());
            List<JsonNode> lines = lines(strict);
            assertEquals(1, lines.size(), strict.body());
            assertEquals("RetentionGap", lines.get(0).at("/error/kind").asText());
            assertEquals(1, lines.get(0).at("/error/seq").asLong(), "the first missing seq");
        }
    }

    @Test
    void timeoutIsTheStreamsWholeLife() {
        pool("p", 1 << 20, 2);
        try (TestServer s = new TestServer(dir, b -> b.limits(new ServerLimits(1 << 20, Duration.ofMillis(500), 8,
                1 << 20)))) {
            assertEquals(List.of(1L, 2L), seqs(lines(s.get("/v0/pools/p/tail"))), "no timeout_ms: the server's");
            ProtocolTest.assertError(s.get("/v0/pools/p/tail?timeout_ms=501"), 400, "Usage");
            assertTrue(s.get("/metrics").body().contains("rockpool_server_refused_total{limit=\"stream_duration\"}"));
        }
    }

    @Test
    void concurrentStreamLimit() throws Exception {
        pool("p", 1 << 20, 1);
        try (TestServer s = new TestServer(dir, b -> b.limits(new ServerLimits(1 << 20, Duration.ofSeconds(30), 2,
                1 << 20)))) {
            RawClient one = new RawClient(s.address, "/v0/pools/p/tail", 0);
            RawClient two = new RawClient(s.address, "/v0/pools/p/tail", 0);
            assertEquals(200, one.status());
            assertEquals(200, two.status());
            ProtocolTest.assertError(s.get("/v0/pools/p/tail"), 423, "Busy");
            assertTrue(s.get("/metrics").body().contains("rockpool_server_refused_total{limit=\"streams\"} 1.0"));
            one.close();
            awaitStreams(s, 1);
            assertEquals(200, s.get("/v0/pools/p/tail?max=1").status(), "a closed client's slot is free at once");
            two.close();
            awaitStreams(s, 0);
        }
    }

    /** Waits (bounded) until the server counts {@code n} open streams. */
    static void awaitStreams(TestServer s, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (openStreams(s) != n) {
            assertTrue(System.nanoTime() < deadline, "streams open: " + openStreams(s) + ", expected " + n);
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    static int openStreams(TestServer s) {
        int total = 0;
        for (String line : s.get("/metrics").body().split("\n")) {
            if (line.startsWith("rockpool_server_streams_open{")) {
                total += (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
