package dev.rockpool.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static dev.rockpool.cli.Cli.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A remote {@code follow} across the death of its server: killed with SIGKILL (nothing drained, the connection just
 * breaks) and stopped with SIGTERM (the stream ends with where to resume), each time started again on the same port
 * while messages were appended to the pool file meanwhile. The follower prints every message once, in order.
 */
class RemoteRestartTest {
    private static final int BATCH = 200;

    @TempDir
    Path dir;

    @Test
    void followPrintsEveryMessageOnceAcrossServerRestarts() throws Exception {
        Path pools = dir.resolve("pools");
        Path out = dir.resolve("follow.out");
        try (ServeProcess server = new ServeProcess(pools, dir)) {
            String url = server.url("events");
            assertEquals(0, exec(dir, new byte[0], "pool", "create", url, "--size", "4M").exit());
            Process follower = Cli.process(Cli.launcher(), dir, List.of("follow", url, "--from-seq", "1", "--limit",
                    String.valueOf(5 * BATCH), "--format", "jsonl")).redirectOutput(out.toFile())
                    .redirectError(dir.resolve("follow.err").toFile()).start();
            try {
                feed(url, 0);
                awaitLines(out, BATCH, follower);
                server.kill();
                // Appended while no server runs: straight into the pool file, as any local writer may.
                assertEquals(0, exec(pools, lines(BATCH), "feed", "events").exit());
                server.restart();
                feed(url, 2 * BATCH);
                awaitLines(out, 3 * BATCH, follower);
                assertEquals(143, server.terminate(40));
                assertEquals(0, exec(pools, lines(3 * BATCH), "feed", "events").exit());
                server.restart();
                feed(url, 4 * BATCH);
                assertTrue(follower.waitFor(120, TimeUnit.SECONDS), "the follower ends after --limit");
                assertEquals(0, follower.exitValue(), Files.readString(dir.resolve("follow.err")));
            } finally {
                follower.destroyForcibly();
            }
        }
        List<String> printed = Cli.lines(Files.readString(out));
        List<Long> seqs = printed.stream().map(l -> Cli.json(l).get("seq").asLong()).collect(Collectors.toList());
        assertEquals(LongStream.rangeClosed(1, 5 * BATCH).boxed().collect(Collectors.toList()), seqs,
                "each message once, in order");
        for (int i = 0; i < printed.size(); i++) {
            assertEquals(i, Cli.json(printed.get(i)).get("data").get("i").asLong());
        }
    }

    /** {@code {"i":from}...} one per line, {@link #BATCH} of them. */
    private static byte[] lines(int from) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < from + BATCH; i++) {
            b.append("{\"i\":").append(i).append("}\n");
        }
        return Cli.bytes(b.toString());
    }

    private void feed(String url, int from) {
        Cli.Result r = exec(dir, lines(from), "feed", url);
        assertEquals(0, r.exit(), r.toString());
    }

    private static void awaitLines(Path out, int n, Process follower) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<String> got = new ArrayList<>();
        while (System.nanoTime() < deadline && follower.isAlive()) {
            got = Files.exists(out) ? Cli.lines(Files.readString(out)) : List.of();
            if (got.size() >= n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the follower printed " + got.size() + " of " + n + " messages");
    }
}
