package dev.rockpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.rockpool.cli.Cli.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI on remote pools ({@code http://host:port/POOL}) against a real {@code rockpool serve} process, both run
 * through {@code bin/rockpool}: what a remote command prints is what the same command prints on the pool file
 * itself, byte for byte; filters run on the server; errors keep their exit codes.
 */
class RemoteCliTest {
    @TempDir
    static Path dir;
    private static Path pools;
    private static ServeProcess server;

    @BeforeAll
    static void serve() {
        pools = dir.resolve("pools");
        server = new ServeProcess(pools, dir);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
    }

    private static Cli.Result rockpool(String... args) {
        return rockpool(new byte[0], args);
    }

    /** {@code bin/rockpool --dir POOLS args...}: the local pools are the ones the server serves. */
    private static Cli.Result rockpool(byte[] stdin, String... args) {
        return Cli.exec(pools, stdin, args);
    }

    private static List<Long> seqs(Cli.Result r) {
        return r.outJson().stream().map(n -> n.get("seq").asLong()).collect(Collectors.toList());
    }

    @Test
    void feedFetchFollowAndInfoPrintWhatTheyPrintLocally() {
        String url = server.url("same");
        assertEquals(0, rockpool("pool", "create", url, "--size", "1M").exit());
        Cli.Result one = rockpool("feed", url, "--tag", "a", "{\"n\":1,\"x\":1.50}");
        assertEquals(0, one.exit(), one.toString());
        assertEquals(List.of("seq", "time", "meta"), fields(one.outJson().get(0)));
        Cli.Result stream = rockpool(bytes("{\"n\":2}\n\u001e{\"n\":3}{\"n\":4}\n"), "feed", url, "--tag", "b");
        assertEquals(0, stream.exit(), stream.toString());
        assertEquals(List.of(2L, 3L, 4L), seqs(stream));
        assertEquals("[\"b\"]", stream.outJson().get(2).get("meta").get("tags").toString());

        for (List<String> format : List.of(List.of("--format", "jsonl"), List.of("--format", "pretty"),
                List.of("--format", "jsonl", "--data-only"))) {
            assertSameOutput(url, "same", List.of("follow", "@", "--no-follow"), format);
            assertSameOutput(url, "same", List.of("fetch", "@", "1"), format);
        }
        assertEquals("{\"n\":1,\"x\":1.50}\n", rockpool("fetch", url, "1", "--data-only").out(),
                "the data as stored, numbers as written");
        assertSameOutput(url, "same", List.of("pool", "info", "@"), List.of());

        JsonNode remote = rockpool("pool", "info", url, "--json").outJson().get(0);
        JsonNode local = rockpool("pool", "info", "same", "--json").outJson().get(0);
        assertEquals(withoutAges(local), withoutAges(remote));
        Cli.Result list = rockpool("pool", "list", "http://" + server.address());
        assertTrue(list.out().contains("\nsame "), list.out());
        assertEquals(rockpool("pool", "list").out(), list.out(), "the same listing, remote or local");
    }

    /** Runs {@code command} with the pool as the URL and as the local name ({@code @}): the same stdout. */
    private static void assertSameOutput(String url, String name, List<String> command, List<String> options) {
        Cli.Result remote = rockpool(args(command, url, options));
        Cli.Result local = rockpool(args(command, name, options));
        assertEquals(0, remote.exit(), remote.toString());
        assertEquals(local.out(), remote.out().replace(url, name), command + " " + options);
    }

    private static String[] args(List<String> command, String pool, List<String> options) {
        List<String> all = command.stream().map(a -> a.equals("@") ? pool : a).collect(Collectors.toList());
        all.addAll(options);
        return all.toArray(new String[0]);
    }

    private static List<String> fields(JsonNode o) {
        return o.properties().stream().map(java.util.Map.Entry::getKey).collect(Collectors.toList());
    }

    private static JsonNode withoutAges(JsonNode info) {
        ObjectNode copy = info.deepCopy();
        ((ObjectNode) copy.get("metrics").get("age")).remove(List.of("oldest_age_ms", "newest_age_ms"));
        return copy;
    }

    @Test
    void badInputAppendsNothingAndSkippedRecordsAreReportedAsLocally() {
        String url = server.url("bad");
        assertEquals(0, rockpool("pool", "create", url, "--size", "64K").exit());
        Cli.Result bad = rockpool("feed", url, "[1]");
        assertEquals(2, bad.exit(), bad.toString());
        assertEquals("Usage", bad.error().get("kind").asText());

        byte[] input = bytes("{\"n\":1}\n{\"n\":2\n{\"n\":3}\n{\"big\":\"" + "x".repeat(70_000) + "\"}\n{\"n\":5}\n");
        Cli.Result skip = rockpool(input, "feed", url, "--errors", "skip");
        assertEquals(10, skip.exit(), skip.toString());
        assertEquals(List.of(1L, 2L, 3L), seqs(skip));
        List<JsonNode> notices = skip.errJson();
        assertEquals(List.of("ingest_skip", "ingest_skip", "ingest_summary"), notices.stream()
                .map(n -> n.get("notice").get("kind").asText()).collect(Collectors.toList()));
        assertEquals(2, notices.get(0).get("notice").get("details").get("index").asLong());
        assertEquals(4, notices.get(1).get("notice").get("details").get("index").asLong());
        assertTrue(notices.get(1).get("notice").get("message").asText().contains("too large"), skip.err());

        Cli.Result stop = rockpool(input, "feed", url);
        assertEquals(2, stop.exit(), stop.toString());
        assertEquals(List.of(4L), seqs(stop), "what came before the bad record");
        assertEquals(2, stop.error().get("record").asLong());
        assertEquals("{\"n\":1}\n{\"n\":3}\n{\"n\":5}\n{\"n\":1}\n", rockpool("follow", url, "--no-follow",
                "--data-only").out());
    }

    @Test
    void followFiltersOnTheServerAndHonoursItsStartsAndLimits() throws Exception {
        String url = server.url("f");
        StringBuilder input = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            input.append("{\"i\":").append(i).append(",\"even\":").append(i % 2 == 0).append("}\n");
        }
        assertEquals(0, rockpool(bytes(input.toString()), "feed", url, "--create", "--create-size", "1M").exit());
        assertEquals(0, rockpool("feed", url, "--tag", "special", "{\"i\":21}").exit());

        assertEquals(List.of(16L, 18L, 20L), seqs(rockpool("follow", url, "--where", ".data.even", "--tail", "3",
                "--no-follow")));
        assertEquals(List.of(21L), seqs(rockpool("follow", url, "--tag", "special", "--no-follow")));
        assertEquals(List.of(5L, 6L), seqs(rockpool("follow", url, "--from-seq", "5", "--limit", "2")));
        assertEquals(List.of(1L), seqs(rockpool("follow", url, "--since", "1h", "--one")));
        assertEquals(List.of(), seqs(rockpool("follow", url, "--since", "2099-01-01T00:00:00Z", "--no-follow")));
        assertEquals(List.of(20L, 21L), seqs(rockpool("follow", url, "--tail", "2", "--no-follow")));

        Cli.Result bad = rockpool("follow", url, "--where", ".data.i +");
        assertEquals(2, bad.exit(), bad.toString());
        Cli.Result idle = rockpool("follow", url, "--timeout", "1500ms");
        assertEquals(124, idle.exit(), idle.toString());
        assertEquals("", idle.out());
    }

    /**
     * {@code --timeout} is an idle limit on what is printed: the messages the server's filter drops do not reset it.
     * Non-matching messages keep coming after the one match; the follower still ends, 124, with that one printed.
     */
    @Test
    void followTimeoutCountsOnlyWhatPassesTheFilter() throws Exception {
        String url = server.url("idle");
        assertEquals(0, rockpool("pool", "create", url, "--size", "1M").exit());
        Process follower = Cli.process(Cli.launcher(), dir, List.of("follow", url, "--from-seq", "1", "--where",
                ".data.ok", "--timeout", "3s")).redirectOutput(dir.resolve("idle.out").toFile()).start();
        Process feeder = Cli.process(Cli.launcher(), dir, List.of("feed", url)).start();
        try (OutputStream feed = feeder.getOutputStream()) {
            feed.write(bytes("{\"ok\":true}\n"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (follower.isAlive() && System.nanoTime() < deadline) {
                feed.write(bytes("{\"ok\":false}\n"));
                feed.flush();
                follower.waitFor(200, TimeUnit.MILLISECONDS);
            }
            assertFalse(follower.isAlive(), "filtered messages do not keep the follower alive");
            assertEquals(124, follower.exitValue());
            String out = Files.readString(dir.resolve("idle.out"));
            assertEquals(1, Cli.lines(out).size(), out);
            assertTrue(Cli.json(out).get("data").get("ok").asBoolean());
        } finally {
            follower.destroyForcibly();
            feeder.destroyForcibly();
        }
    }

    @Test
    void errorsKeepTheirExitCodes() {
        String url = server.url("codes");
        assertEquals(0, rockpool("pool", "create", url, "--size", "64K").exit());
        Cli.Result exists = rockpool("pool", "create", url);
        assertEquals(4, exists.exit(), exists.toString());

        Cli.Result missing = rockpool("follow", server.url("nothing"));
        assertEquals(3, missing.exit(), missing.toString());
        assertEquals("create it with: rockpool pool create " + server.url("nothing"),
                missing.error().get("hint").asText());
        assertEquals(3, rockpool("feed", server.url("nothing"), "{}").exit());
        Cli.Result noMessage = rockpool("fetch", url, "7");
        assertEquals(3, noMessage.exit(), noMessage.toString());
        assertEquals(7, noMessage.error().get("seq").asLong());
        assertEquals(2, rockpool("fetch", url, "0").exit());
        assertEquals(3, rockpool("fetch", server.url("nothing"), "0").exit(), "the pool first");

        for (String ref : List.of(url + "/", server.url("v0/pools/codes"), url + "?x=1", "ftp://" + server.address()
                + "/codes", server.url("..") , "http://" + server.address())) {
            Cli.Result r = rockpool("fetch", ref, "1");
            assertEquals(2, r.exit(), ref + ": " + r);
        }
        assertEquals(2, rockpool("fetch", "codes", "1", "--tls-skip-verify").exit(), "remote options, local pool");
        assertEquals(2, rockpool("fetch", url, "1", "--tls-skip-verify", "--tls-ca", "x.pem").exit());
        assertEquals(2, rockpool("doctor", url).exit());
        assertEquals(2, rockpool("pool", "list", "codes").exit());

        Cli.Result deleted = rockpool("pool", "delete", url, server.url("nothing"), "--json");
        assertEquals(3, deleted.exit(), deleted.toString());
        assertEquals(url, deleted.outJson().get(0).get("deleted").get(0).get("name").asText());
        assertFalse(Files.exists(pools.resolve("codes.pool")));
    }

    @Test
    void anUnreachableServerIsAPlainIoError() throws Exception {
        String url;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            url = "http://127.0.0.1:" + free.getLocalPort() + "/p";
        }
        for (List<String> command : List.of(List.of("feed", url, "{}"), List.of("follow", url),
                List.of("fetch", url, "1"), List.of("pool", "info", url))) {
            Cli.Result r = rockpool(command.toArray(new String[0]));
            assertEquals(8, r.exit(), r.toString());
            assertEquals("Io", r.error().get("kind").asText());
            assertTrue(r.error().get("message").asText().contains("connection refused"), r.toString());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }
}
