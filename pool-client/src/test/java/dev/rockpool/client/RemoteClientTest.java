package dev.rockpool.client;

import dev.rockpool.pool.AppendResult;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolInfo;
import dev.rockpool.server.PoolServer;
import dev.rockpool.server.ServeInit;
import dev.rockpool.server.ServerCheck;
import dev.rockpool.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client library against the real server over real sockets. */
class RemoteClientTest {
    @TempDir
    Path dir;

    private PoolServer serve(UnaryOperator<ServerConfig.Builder> config) {
        PoolServer server = new PoolServer(config.apply(ServerConfig.builder(dir.resolve("pools")).port(0)).build()
                .check());
        server.start();
        return server;
    }

    @Test
    void everyOperation() {
        try (PoolServer server = serve(b -> b)) {
            RemoteClient c = RemoteClient.builder(server.url()).build();
            PoolInfo created = c.create("events", 1 << 20);
            assertEquals(1 << 20, created.fileSize());
            assertEquals(ErrorKind.ALREADY_EXISTS, assertThrows(PoolException.class,
                    () -> c.create("events", 1 << 20)).kind());
            assertEquals(created.poolId(), c.open("events").poolId());
            assertEquals(ErrorKind.NOT_FOUND, assertThrows(PoolException.class, () -> c.open("nope")).kind());
            assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class, () -> c.info("../x")).kind());

            Message m = c.append("events", JsonData.parse("{\"n\":1.50}"), List.of("a", "b c"), Durability.FLUSH);
            assertEquals(1, m.seq());
            assertEquals(List.of("a", "b c"), m.tags());
            assertEquals("{\"n\":1.50}", m.dataString());
            List<AppendResult> batch = c.appendBatch("events", List.of(JsonData.parse("{\"n\":2}"),
                    JsonData.parse("{\"n\":3}")), List.of("batch"), Durability.FAST);
            assertEquals(List.of(2L, 3L), batch.stream().map(AppendResult::seq).toList());
            Message got = c.get("events", 3);
            assertEquals("{\"n\":3}", got.dataString());
            assertEquals(List.of("batch"), got.tags());
            assertEquals(batch.get(1).timeNanos(), got.timeNanos(), "times to the nanosecond");
            assertEquals(ErrorKind.NOT_FOUND, assertThrows(PoolException.class, () -> c.get("events", 99)).kind());

            PoolInfo info = c.info("events");
            assertEquals(3, info.messageCount());
            assertEquals(3, info.newestSeq());
            assertEquals(List.of("events"), c.list().stream().map(PoolEntry::name).toList());
            c.delete("events");
            assertEquals(List.of(), c.list());
        }
    }

    @Test
    void tailWithFiltersLimitsAndStarts() {
        try (PoolServer server = serve(b -> b)) {
            RemoteClient c = RemoteClient.builder(server.url()).build();
            c.create("p", 1 << 20);
            for (int i = 1; i <= 10; i++) {
                c.append("p", JsonData.parse("{\"i\":" + i + "}"), i % 2 == 0 ? List.of("even") : List.of(),
                        Durability.FAST);
            }
            assertEquals(List.of(4L, 6L, 8L, 10L), seqs(c, "p", TailOptions.builder().sinceSeq(3).tag("even")
                    .follow(false).build()));
            assertEquals(List.of(9L, 10L), seqs(c, "p", TailOptions.builder().where(".data.i > 8").follow(false)
                    .build()));
            assertEquals(List.of(1L, 2L), seqs(c, "p", TailOptions.builder().max(2).build()));
            assertEquals(List.of(6L, 8L, 10L), seqs(c, "p", TailOptions.builder().tail(3).tag("even").follow(false)
                    .build()));
            assertEquals(List.of(), seqs(c, "p", TailOptions.builder().fromNow().timeout(Duration.ofMillis(300))
                    .build()));
        }
    }

    /**
     * An idle timeout ends a tail that has received nothing for that long, from its start and then from each message,
     * and says so; a tail that ends otherwise (caught up without follow, max reached) has not idled out. Each message
     * reaches the caller before the tail waits again ({@code onWait} runs only then).
     */
    @Test
    void idleTimeoutEndsAQuietTailAndIsResetByEachMessage() throws Exception {
        try (PoolServer server = serve(b -> b)) {
            RemoteClient c = RemoteClient.builder(server.url()).build();
            c.create("p", 1 << 20);
            try (RemoteTail quiet = c.tail("p", TailOptions.builder().fromNow().idleTimeout(Duration.ofMillis(300))
                    .build())) {
                assertNull(quiet.next());
                assertTrue(quiet.idledOut());
            }
            List<Long> waitedAfter = new ArrayList<>();
            List<Long> received = new ArrayList<>();
            Thread writer = new Thread(() -> {
                for (int i = 1; i <= 3; i++) {
                    sleep(200);
                    c.append("p", JsonData.parse("{\"i\":" + i + "}"), List.of(), Durability.FAST);
                }
            });
            try (RemoteTail tail = c.tail("p", TailOptions.builder().fromNow().idleTimeout(Duration.ofMillis(1500))
                    .build())) {
                tail.onWait(() -> waitedAfter.add((long) received.size()));
                writer.start();
                tail.forEach(m -> received.add(m.seq()));
                assertTrue(tail.idledOut());
            }
            writer.join();
            assertEquals(List.of(1L, 2L, 3L), received, "each message resets the idle timeout");
            assertTrue(waitedAfter.containsAll(List.of(0L, 1L, 2L, 3L)), waitedAfter.toString());
            try (RemoteTail caughtUp = c.tail("p", TailOptions.builder().follow(false)
                    .idleTimeout(Duration.ofSeconds(30)).build())) {
                caughtUp.forEach(m -> { });
                assertFalse(caughtUp.idledOut());
            }
            try (RemoteTail limited = c.tail("p", TailOptions.builder().max(1).idleTimeout(Duration.ofSeconds(30))
                    .build())) {
                assertEquals(1, limited.next().seq());
                assertNull(limited.next());
                assertFalse(limited.idledOut());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void retentionGapIsAnErrorOnlyWhenAskedFor() {
        try (PoolServer server = serve(b -> b)) {
            RemoteClient c = RemoteClient.builder(server.url()).build();
            c.create("small", 64 * 1024);
            String pad = "z".repeat(1000);
            for (int i = 0; i < 200; i++) {
                c.append("small", JsonData.parse("{\"pad\":\"" + pad + "\"}"), List.of(), Durability.FAST);
            }
            try (RemoteTail t = c.tail("small", TailOptions.builder().sinceSeq(1).gapPolicy(GapPolicy.FAIL).build())) {
                PoolException e = assertThrows(PoolException.class, t::next);
                assertEquals(ErrorKind.RETENTION_GAP, e.kind());
                assertEquals(1L, e.seq());
            }
            try (RemoteTail t = c.tail("small", TailOptions.builder().sinceSeq(1).max(1).build())) {
                assertTrue(t.next().seq() > 1);
            }
        }
    }

    @Test
    void tailResumesAcrossAServerRestartWithNothingLostOrTwice() throws Exception {
        PoolServer first = serve(b -> b);
        RemoteClient c = RemoteClient.builder(first.url()).build();
        c.create("p", 8 << 20);
        int total = 3000;
        int port = Integer.parseInt(first.url().substring(first.url().lastIndexOf(':') + 1));
        List<Long> received = new ArrayList<>();
        try (RemoteTail tail = c.tail("p", TailOptions.builder().sinceSeq(1).max(total)
                .timeout(Duration.ofSeconds(60)).build())) {
            Thread reader = new Thread(() -> tail.forEach(m -> received.add(m.seq())));
            reader.start();
            appendBatches(c, 0, 1000);
            first.stop(Duration.ofSeconds(5));
            // while the server is down the tail retries; the pool keeps growing meanwhile
            try (dev.rockpool.pool.Pool pool = dev.rockpool.pool.Pool.open(dir.resolve("pools/p.pool"))) {
                for (int i = 0; i < 1000; i++) {
                    pool.append(dev.rockpool.pool.Draft.of("{\"offline\":" + i + "}"));
                }
            }
            PoolServer second = serve(b -> b.port(port));
            try {
                appendBatches(c, 2000, 1000);
                reader.join(60_000);
            } finally {
                second.stop(Duration.ofSeconds(5));
            }
        }
        assertEquals(total, received.size());
        for (int i = 0; i < total; i++) {
            assertEquals(i + 1, received.get(i), "in order, nothing lost or twice");
        }
    }

    private static void appendBatches(RemoteClient c, int from, int n) {
        for (int i = 0; i < n; i += 100) {
            List<JsonData> batch = new ArrayList<>();
            for (int j = 0; j < 100; j++) {
                batch.add(JsonData.parse("{\"i\":" + (from + i + j) + "}"));
            }
            c.appendBatch("p", batch, List.of(), Durability.FAST);
        }
    }

    @Test
    void tokenAndTls() throws Exception {
        ServeInit.Result init = ServeInit.init(ServeInit.Options.in(dir.resolve("serve"), "127.0.0.1", 0));
        ServerCheck check = ServerConfig.builder(dir.resolve("pools")).port(0).tokenFile(init.tokenFile())
                .tlsCert(init.certFile()).tlsKey(init.keyFile()).build().check();
        try (PoolServer server = new PoolServer(check)) {
            server.start();
            RemoteClient good = RemoteClient.builder(server.url()).tokenFile(init.tokenFile()).tlsCa(init.certFile())
                    .build();
            good.create("secure", 65536);
            assertEquals(1, good.list().size());
            RemoteClient noToken = RemoteClient.builder(server.url()).tlsCa(init.certFile()).build();
            assertEquals(ErrorKind.PERMISSION, assertThrows(PoolException.class, noToken::list).kind());
            RemoteClient untrusting = RemoteClient.builder(server.url()).tokenFile(init.tokenFile()).build();
            PoolException tls = assertThrows(PoolException.class, untrusting::list);
            assertEquals(ErrorKind.IO, tls.kind());
            RemoteClient skipping = RemoteClient.builder(server.url().replace("127.0.0.1", "localhost"))
                    .tokenFile(init.tokenFile()).tlsSkipVerify(true).build();
            assertEquals(1, skipping.list().size());
        }
    }

    @Test
    void anUnreachableServerIsAPlainIoError() {
        RemoteClient c = RemoteClient.builder("http://127.0.0.1:9").build();
        PoolException e = assertThrows(PoolException.class, () -> c.info("p"));
        assertEquals(ErrorKind.IO, e.kind());
        assertTrue(e.getMessage().startsWith("cannot reach http://127.0.0.1:9: "), e.getMessage());
        assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class,
                () -> RemoteClient.builder("http://host:1/pools/x")).kind());
    }

    private static List<Long> seqs(RemoteClient c, String pool, TailOptions options) {
        List<Long> out = new ArrayList<>();
        try (RemoteTail t = c.tail(pool, options)) {
            t.forEach(m -> out.add(m.seq()));
        }
        return out;
    }
}
