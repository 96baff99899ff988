package dev.rockpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.ChildLockHolder;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import dev.rockpool.pool.testing.ChildProcess;
import dev.rockpool.pool.testing.Unwritable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.rockpool.cli.Cli.bytes;
import static dev.rockpool.cli.Cli.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CLI as real processes through {@code bin/rockpool} (with {@code ROCKPOOL_CLASSPATH} set to the test classpath):
 * the launcher itself, pipes, a follower receiving what another process feeds while both run, exit codes and JSON
 * errors as a script sees them.
 */
class CliProcessTest {
    @TempDir
    Path dir;

    @Test
    void launcherWorksThroughASymlinkFromAnyDirectory(@TempDir Path elsewhere) throws Exception {
        Path link = elsewhere.resolve("bin/rp");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Cli.launcher());
        Path cwd = Files.createDirectories(elsewhere.resolve("some/where"));
        Cli.Result created = exec(Cli.process(link, cwd, List.of("--dir", dir.toString(), "pool", "create", "p",
                "--size", "1M", "--json")), new byte[0]);
        assertEquals(0, created.exit(), created.toString());
        assertEquals("p", created.outJson().get(0).get("pools").get(0).get("name").asText());
        Cli.Result version = exec(Cli.process(link, cwd, List.of("version")), new byte[0]);
        assertEquals(0, version.exit(), version.toString());
        assertEquals("rockpool", version.outJson().get(0).get("name").asText());
    }

    /**
     * A writer stopped while holding the lock (here a child that took it and sleeps): feed waits the lock timeout,
     * then fails with Busy, its exit code and a JSON error naming the owner, and appends nothing.
     */
    @Test
    void feedIntoAPoolLockedByALiveWriterIsBusy() throws Exception {
        assertEquals(0, exec(dir, new byte[0], "pool", "create", "p", "--size", "1M").exit());
        assertEquals(0, exec(dir, bytes("{\"n\":1}"), "feed", "p").exit());
        Path pool = dir.resolve("p.pool");
        try (ChildProcess holder = ChildProcess.start(ChildLockHolder.class, dir.resolve("holder.err"),
                pool.toString(), "partial")) {
            holder.await("LOCKED", 60);
            Cli.Result r = exec(dir, bytes("{\"n\":2}"), "feed", "p");
            assertEquals(ErrorKind.BUSY.exitCode(), r.exit(), r.toString());
            JsonNode error = r.error();
            assertEquals("Busy", error.get("kind").asText(), r.err());
            assertTrue(error.get("message").asText().contains("pid " + holder.pid()), r.err());
            holder.kill();
        }
        Cli.Result after = exec(dir, new byte[0], "follow", "p", "--no-follow", "--data-only");
        assertEquals("{\"n\":1}\n", after.out(), "nothing appended by the refused feed");
    }

    /** A pool this process cannot write: readers work, a feed fails with Permission (exit 6) and appends nothing. */
    @Test
    void feedIntoAnUnwritablePoolIsPermission() throws Exception {
        assertEquals(0, exec(dir, bytes("{\"n\":1}"), "feed", "p", "--create", "--create-size", "1M").exit());
        Path pool = dir.resolve("p.pool");
        assumeTrue(Unwritable.make(pool), "cannot make a file unwritable here");
        try {
            Cli.Result r = exec(dir, bytes("{\"n\":2}"), "feed", "p");
            assertEquals(ErrorKind.PERMISSION.exitCode(), r.exit(), r.toString());
            JsonNode error = r.error();
            assertEquals("Permission", error.get("kind").asText(), r.err());
            assertTrue(error.get("message").asText().contains("read-only"), r.err());
            assertEquals(pool.toString(), error.get("path").asText(), r.err());
            Cli.Result after = exec(dir, new byte[0], "follow", "p", "--no-follow", "--data-only");
            assertEquals(0, after.exit(), after.toString());
            assertEquals("{\"n\":1}\n", after.out(), "nothing appended by the refused feed");
        } finally {
            Unwritable.undo(pool);
        }
    }

    @Test
    void feedStreamsEveryFormatFromAPipe() {
        assertEquals(0, exec(dir, new byte[0], "pool", "create", "p", "--size", "1M").exit());
        String input = "\u001e{\"n\":1}\n\u001e{\"n\":2}\n{\"n\":3}\n{\"n\":4}{\"n\":5}\n{\n \"n\": 6\n}\n";
        Cli.Result r = exec(dir, bytes(input), "feed", "p", "--tag", "seq");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), r.outJson().stream().map(n -> n.get("seq").asLong())
                .collect(Collectors.toList()));
        Cli.Result out = exec(dir, new byte[0], "follow", "p", "--no-follow", "--data-only");
        assertEquals("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n{\"n\":5}\n{\"n\":6}\n", out.out());
    }

    @Test
    void aFollowerSeesWhatALiveFeederAppendsAndEndsAfterLimit() throws Exception {
        assertEquals(0, exec(dir, new byte[0], "pool", "create", "p", "--size", "1M").exit());
        // The follower starts at "now": everything fed from here on, matching the filter, is printed.
        Process follower = Cli.process(Cli.launcher(), dir, List.of("--dir", dir.toString(), "follow", "p",
                "--where", ".data.kind == \"live\"", "--limit", "3")).start();
        Process feeder = Cli.process(Cli.launcher(), dir, List.of("--dir", dir.toString(), "feed", "p")).start();
        try {
            BufferedReader receipts = new BufferedReader(new InputStreamReader(feeder.getInputStream(),
                    StandardCharsets.UTF_8));
            OutputStream feed = feeder.getOutputStream();
            // Until the follower has its three messages, feed one line at a time and wait for its receipt: the
            // feeder must append (and answer) while its stdin is still open, not at the end of the input.
            int n = 0;
            while (follower.isAlive() && n < 600) {
                n++;
                String kind = n % 2 == 0 ? "noise" : "live";
                feed.write(bytes("{\"kind\":\"" + kind + "\",\"n\":" + n + "}\n"));
                feed.flush();
                String receipt = CompletableFuture.supplyAsync(() -> readLine(receipts)).get(60, TimeUnit.SECONDS);
                assertEquals(n, Cli.json(receipt).get("seq").asLong(), receipt);
                follower.waitFor(100, TimeUnit.MILLISECONDS);
            }
            assertTrue(follower.waitFor(60, TimeUnit.SECONDS), "the follower ends after --limit 3");
            assertEquals(0, follower.exitValue(), new String(follower.getErrorStream().readAllBytes()));
            List<JsonNode> got = Cli.lines(new String(follower.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8)).stream().map(Cli::json).collect(Collectors.toList());
            assertEquals(3, got.size(), got.toString());
            long first = got.get(0).get("data").get("n").asLong();
            for (int i = 0; i < 3; i++) {
                assertEquals("live", got.get(i).get("data").get("kind").asText());
                assertEquals(first + 2L * i, got.get(i).get("data").get("n").asLong(), "in order, none missed");
            }
            assertTrue(feeder.isAlive(), "the feeder was still running all along");
            feed.close();
            assertTrue(feeder.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, feeder.exitValue());
        } finally {
            follower.destroyForcibly();
            feeder.destroyForcibly();
        }
    }

    @Test
    void followOneEndsAtTheFirstMatchFedByAnotherProcess() throws Exception {
        assertEquals(0, exec(dir, new byte[0], "pool", "create", "ci", "--size", "1M").exit());
        Process gate = Cli.process(Cli.launcher(), dir, List.of("--dir", dir.toString(), "follow", "ci",
                "--where", ".data.status == \"green\"", "--one", "--data-only")).start();
        try {
            int i = 0;
            // The gate may still be starting: keep announcing until it has seen one (it never sees an older one).
            while (gate.isAlive() && i < 300) {
                Cli.Result fed = exec(dir, new byte[0], "feed", "ci", "{\"status\":\"green\",\"try\":" + i++ + "}");
                assertEquals(0, fed.exit(), fed.toString());
                gate.waitFor(200, TimeUnit.MILLISECONDS);
            }
            assertTrue(gate.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, gate.exitValue());
            String out = new String(gate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, Cli.lines(out).size(), out);
            assertEquals("green", Cli.json(out).get("status").asText());
        } finally {
            gate.destroyForcibly();
        }
    }

    @Test
    void followTimeoutExits124() {
        assertEquals(0, exec(dir, new byte[0], "pool", "create", "p", "--size", "1M").exit());
        Cli.Result r = exec(dir, new byte[0], "follow", "p", "--timeout", "1s", "--one");
        assertEquals(124, r.exit(), r.toString());
        assertEquals("", r.out());
    }

    /**
     * A command on a local pool loads neither the remote client nor the server (nor Jetty): they cost its start
     * nothing. The JVM's class loading log says what was loaded.
     */
    @Test
    void localCommandsLoadNeitherTheClientNorTheServer() throws Exception {
        assertEquals(0, exec(dir, new byte[0], "pool", "create", "p", "--size", "1M").exit());
        Path log = dir.resolve("classes.log");
        for (List<String> command : List.of(List.of("feed", "p", "{\"n\":1}"), List.of("fetch", "p", "1"),
                List.of("pool", "info", "p"), List.of("follow", "p", "--no-follow"))) {
            List<String> args = new java.util.ArrayList<>(List.of("--dir", dir.toString()));
            args.addAll(command);
            ProcessBuilder pb = Cli.process(Cli.launcher(), dir, args);
            pb.environment().put("JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
            Cli.Result r = exec(pb, new byte[0]);
            assertEquals(0, r.exit(), r.toString());
            List<String> loaded = Files.readAllLines(log);
            assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.rockpool.cli.Rockpool ")), command.toString());
            List<String> remote = loaded.stream().filter(l -> l.matches(".* (dev\\.rockpool\\.(client|server)\\."
                    + "|org\\.eclipse\\.jetty\\.|dev\\.rockpool\\.cli\\.(Remote|ServeCommand)).*"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), remote, command.toString());
        }
    }

    @Test
    void exitCodesAndJsonErrorsAsAScriptSeesThem() throws Exception {
        Cli.Result missing = exec(dir, new byte[0], "feed", "nope", "{\"a\":1}");
        assertEquals(3, missing.exit());
        assertEquals("NotFound", missing.error().get("kind").asText());

        assertEquals(0, exec(dir, new byte[0], "pool", "create", "p", "--size", "1M").exit());
        Cli.Result usage = exec(dir, new byte[0], "follow", "p", "--where", ".data |");
        assertEquals(2, usage.exit());
        assertEquals("Usage", usage.error().get("kind").asText());
        assertEquals(3, exec(dir, new byte[0], "follow", "nope", "--where", ".data |").exit(),
                "the pool is checked first");

        Cli.Result exists = exec(dir, new byte[0], "pool", "create", "p");
        assertEquals(4, exists.exit());

        try (Pool pool = Pool.create(dir.resolve("small.pool"), PoolOptions.ofSize(64 * 1024))) {
            for (int i = 0; i < 1000; i++) {
                pool.append(Draft.of("{\"i\":" + i + ",\"pad\":\"" + "x".repeat(200) + "\"}"));
            }
        }
        Cli.Result gap = exec(dir, new byte[0], "follow", "small", "--from-seq", "1", "--on-gap", "fail");
        assertEquals(9, gap.exit(), gap.toString());
        assertEquals("RetentionGap", gap.error().get("kind").asText());

        assertEquals(0, exec(dir, bytes("{\"a\":1}"), "feed", "p").exit());
        CliCommandsTest.corruptFirstFrame(dir.resolve("p.pool"));
        Cli.Result corrupt = exec(dir, new byte[0], "doctor", "p");
        assertEquals(7, corrupt.exit(), corrupt.toString());
        assertEquals("Corrupt", corrupt.error().get("kind").asText());
        assertTrue(corrupt.out().startsWith("CORRUPT"), corrupt.out());

        Cli.Result fetch = exec(dir, new byte[0], "fetch", "small", "1");
        assertEquals(3, fetch.exit());
    }

    @Test
    void aClosedStdoutEndsFollowQuietly() {
        assertEquals(0, exec(dir, new byte[0], "pool", "create", "p", "--size", "1M").exit());
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            lines.append("{\"i\":").append(i).append("}\n");
        }
        assertEquals(0, exec(dir, bytes(lines.toString()), "feed", "p").exit());
        String script = "\"$0\" --dir \"$1\" follow p --no-follow | head -n 1; echo \"status=${PIPESTATUS[0]}\"";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script, Cli.launcher().toString(), dir.toString())
                .directory(dir.toFile());
        pb.environment().put("ROCKPOOL_CLASSPATH", Cli.classpath());
        Cli.Result r = exec(pb, new byte[0]);
        assertTrue(r.out().contains("status=0"), r.toString());
        assertEquals("", r.err(), "no error for a reader that left");
    }

    @Test
    void aClosedStdoutDoesNotStopFeed() throws Exception {
        assertEquals(0, exec(dir, new byte[0], "pool", "create", "p", "--size", "4M").exit());
        Path input = dir.resolve("in.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            lines.append("{\"i\":").append(i).append("}\n");
        }
        Files.writeString(input, lines);
        String script = "\"$0\" --dir \"$1\" feed p -f \"$2\" | head -n 1; echo \"status=${PIPESTATUS[0]}\"";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script, Cli.launcher().toString(), dir.toString(),
                input.toString()).directory(dir.toFile());
        pb.environment().put("ROCKPOOL_CLASSPATH", Cli.classpath());
        Cli.Result r = exec(pb, new byte[0]);
        assertTrue(r.out().startsWith("{\"seq\":1,"), r.toString());
        assertTrue(r.out().contains("status=0"), r.toString());
        try (Pool pool = Pool.open(dir.resolve("p.pool"))) {
            assertEquals(50_000, pool.info().messageCount(), "every record appended");
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
