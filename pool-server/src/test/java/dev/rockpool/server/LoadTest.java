package dev.rockpool.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streams under load: a slow client beside a fast one, clients that come and go, a server that stops. */
class LoadTest {
    @TempDir
    Path dir;

    @Test
    void aSlowClientIsCutOffWithoutSlowingTheWriterOrTheOthers() throws Exception {
        int messages = 40_000;
        try (TestServer s = new TestServer(dir, b -> b.limits(new ServerLimits(1 << 20, Duration.ofSeconds(30), 8,
                64 * 1024)))) {
            s.post("/v0/pools", "{\"pool\":\"p\",\"size_bytes\":67108864}");
            // The slow client asks and then reads nothing; the fast one reads everything as it comes.
            RawClient slow = new RawClient(s.address, "/v0/pools/p/tail?tail=0", 4096);
            RawClient fast = new RawClient(s.address, "/v0/pools/p/tail?tail=0&max=" + messages, 0);
            StreamTest.awaitStreams(s, 2);
            CompletableFuture<List<String>> fastRead = CompletableFuture.supplyAsync(() -> {
                try {
                    return fast.lines();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try (Pool writer = Pool.open(dir.resolve("p.pool"))) {
                String pad = "y".repeat(200);
                for (int i = 1; i <= messages; i++) {
                    writer.append(Draft.of("{\"i\":" + i + ",\"pad\":\"" + pad + "\"}"));
                }
            }
            List<String> fastLines = fastRead.get(60, TimeUnit.SECONDS);
            assertEquals(messages, fastLines.size());
            assertEquals(messages, JsonTrees.MAPPER.readTree(fastLines.get(messages - 1)).get("seq").asLong());

            List<String> slowLines = slow.lines();
            JsonNode last = JsonTrees.MAPPER.readTree(slowLines.get(slowLines.size() - 1));
            assertEquals("Busy", last.at("/error/kind").asText(), last.toString());
            long resume = last.at("/error/seq").asLong();
            assertTrue(last.at("/error/message").asText().contains("since_seq=" + resume));
            for (int i = 0; i < slowLines.size() - 1; i++) {
                assertEquals(i + 1, JsonTrees.MAPPER.readTree(slowLines.get(i)).get("seq").asLong());
            }
            assertEquals(slowLines.size(), resume, "everything before the resume seq was sent, nothing after");
            assertTrue(resume < messages);
            assertTrue(s.get("/metrics").body().contains("rockpool_server_slow_client_disconnects_total{pool=\"p\"} 1.0"));
            slow.close();
            fast.close();
            StreamTest.awaitStreams(s, 0);
        }
    }

    @Test
    void aThousandClientsComeAndGoWithoutLeaks() throws Exception {
        try (TestServer s = new TestServer(dir)) {
            s.post("/v0/pools", "{\"pool\":\"p\",\"size_bytes\":1048576}");
            s.post("/v0/pools/p/append", "{\"data\":{\"n\":1}}");
            // Open files and threads (but Jetty's request pool, bounded) before and after 1,000 clients.
            cycles(s, 300);
            StreamTest.awaitStreams(s, 0);
            System.gc();
            long fds = openFiles();
            long threads = otherThreads();
            cycles(s, 1000);
            StreamTest.awaitStreams(s, 0);
            System.gc();
            long fdsAfter = openFiles();
            long threadsAfter = otherThreads();
            assertTrue(fdsAfter <= fds + 8, "open files " + fds + " -> " + fdsAfter);
            assertTrue(threadsAfter <= threads + 4, "threads " + threads + " -> " + threadsAfter);
            assertTrue(httpThreads() <= 64, "Jetty's request threads stay within their pool: " + httpThreads());
            assertEquals(200, s.get("/v0/pools/p/tail?max=1").status());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("rockpool-feed"))) {
                assertTrue(System.nanoTime() < deadline, "the pool's feed thread ends with its last stream");
                Thread.sleep(10);
            }
        }
    }

    /** Each cycle opens a stream, reads its first message, and closes the connection under it. */
    private static void cycles(TestServer s, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            try (RawClient c = new RawClient(s.address, "/v0/pools/p/tail?since_seq=1", 0)) {
                assertEquals(200, c.status(), c.head);
            }
        }
    }

    /** Threads other than Jetty's request pool (which grows and shrinks with load, up to its bound). */
    private static long otherThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount() - httpThreads();
    }

    private static long httpThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("rockpool-http"))
                .count();
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void stoppingTheServerEndsStreamsNamingWhereToResume() throws Exception {
        TestServer s = new TestServer(dir);
        s.post("/v0/pools", "{\"pool\":\"p\",\"size_bytes\":1048576}");
        for (int i = 0; i < 3; i++) {
            s.post("/v0/pools/p/append", "{\"data\":{\"n\":" + i + "}}");
        }
        List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(new RawClient(s.address, "/v0/pools/p/tail?since_seq=2", 0));
        }
        StreamTest.awaitStreams(s, 3);
        s.close();
        for (RawClient c : clients) {
            // Whatever a stream had sent when the server stopped, its last line names the next seq it owed.
            List<String> lines = c.lines();
            JsonNode last = JsonTrees.MAPPER.readTree(lines.get(lines.size() - 1));
            assertEquals("Busy", last.at("/error/kind").asText(), lines.toString());
            for (int i = 0; i < lines.size() - 1; i++) {
                assertEquals(2 + i, JsonTrees.MAPPER.readTree(lines.get(i)).get("seq").asLong());
            }
            assertEquals(2 + lines.size() - 1, last.at("/error/seq").asLong(), lines.toString());
            c.close();
        }
    }
}
