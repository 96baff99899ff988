package dev.rockpool.server;

import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import dev.rockpool.pool.testing.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SSE subscribers resume with {@code Last-Event-ID} across a server killed with SIGKILL and started again, while a
 * writer (another process's engine, as the CLI or the sink connector) goes on appending: nothing lost, nothing twice.
 */
class RestartTest {
    private static final int MESSAGES = 3000;

    @TempDir
    Path dir;

    /** Appends MESSAGES messages to each pool, one every ~millisecond, "a" on every third; the "a" seqs per pool. */
    private static Thread writer(List<Path> pools, List<List<Long>> tagged) {
        Thread t = new Thread(() -> {
            List<Pool> open = new ArrayList<>();
            pools.forEach(p -> open.add(Pool.open(p)));
            try {
                for (int i = 1; i <= MESSAGES; i++) {
                    for (int k = 0; k < open.size(); k++) {
                        String tag = i % 3 == 0 ? "a" : "b";
                        long seq = open.get(k).append(Draft.of("{\"i\":" + i + "}", tag)).seq();
                        if (tag.equals("a")) {
                            tagged.get(k).add(seq);
                        }
                    }
                    if (i % 4 == 0) {
                        TimeUnit.MILLISECONDS.sleep(4);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                open.forEach(Pool::close);
            }
        }, "writer");
        t.start();
        return t;
    }

    @Test
    void subscribersResumeAcrossAKilledServer() throws Exception {
        Path poolDir = Files.createDirectories(dir.resolve("pools"));
        List<Path> files = List.of(poolDir.resolve("p.pool"), poolDir.resolve("q.pool"));
        files.forEach(f -> Pool.create(f, PoolOptions.ofSize(8 << 20)).close());
        HttpClient http = HttpClient.newHttpClient();
        ChildProcess server = ServerProcess.start(poolDir, 0, dir.resolve("logs"));
        String url = ServerProcess.url(server);
        int port = URI.create(url).getPort();
        List<List<Long>> written = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        String onePool = "/v0/pools/p/events?eventType=a&since_seq=1";
        String twoPools = "/v0/events?pool=p&pool=q&eventType=a&since_seq=1";
        SseClient one = SseClient.open(http, url + onePool);
        SseClient two = SseClient.open(http, url + twoPools);
        Thread writer = writer(files, written);
        List<SseClient.Event> fromOne = new ArrayList<>(one.take(100, Duration.ofSeconds(30)));
        List<SseClient.Event> fromTwo = new ArrayList<>(two.take(100, Duration.ofSeconds(30)));
        server.kill();
        fromOne.addAll(one.rest(Duration.ofSeconds(30)));
        fromTwo.addAll(two.rest(Duration.ofSeconds(30)));
        assertTrue(writer.isAlive(), "the server died while the writer was still appending");

        ChildProcess again = ServerProcess.start(poolDir, port, dir.resolve("logs"));
        try {
            assertEquals(url, ServerProcess.url(again));
            SseClient oneAgain = SseClient.open(http, url + onePool, "Last-Event-ID", one.lastEventId);
            SseClient twoAgain = SseClient.open(http, url + twoPools, "Last-Event-ID", two.lastEventId);
            writer.join(60_000);
            int expected = written.get(0).size();
            fromOne.addAll(oneAgain.take(expected - fromOne.size(), Duration.ofSeconds(60)));
            fromTwo.addAll(twoAgain.take(2 * expected - fromTwo.size(), Duration.ofSeconds(60)));
            assertEquals(written.get(0), seqs(fromOne, null), "one pool: every 'a' message once, in order");
            assertEquals(written.get(0), seqs(fromTwo, "p"), "two pools, p");
            assertEquals(written.get(1), seqs(fromTwo, "q"), "two pools, q");
            oneAgain.close();
            twoAgain.close();
        } finally {
            again.kill();
        }
    }

    private static List<Long> seqs(List<SseClient.Event> events, String pool) {
        List<Long> out = new ArrayList<>();
        for (SseClient.Event e : events) {
            if (pool == null || e.json().get("pool").asText().equals(pool)) {
                out.add(e.seq());
            }
        }
        return out;
    }
}
