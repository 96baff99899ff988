package dev.rockpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import dev.rockpool.pool.Start;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static dev.rockpool.cli.Cli.bytes;
import static dev.rockpool.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands in-process (picocli on byte streams): outputs, formats, filters, start positions, exit codes. */
class CliCommandsTest {
    @TempDir
    Path dir;

    static List<Message> messages(Path dir, String name) {
        try (Pool pool = Pool.open(dir.resolve(name + ".pool"))) {
            List<Message> all = new ArrayList<>();
            var cursor = pool.cursor(Start.earliest());
            for (Message m = cursor.next(); m != null; m = cursor.next()) {
                all.add(m);
            }
            return all;
        }
    }

    static List<String> data(Path dir, String name) {
        return messages(dir, name).stream().map(Message::dataString).collect(Collectors.toList());
    }

    private void create(String name) {
        Cli.Result r = run(dir, "pool", "create", name, "--size", "1M");
        assertEquals(0, r.exit(), r.toString());
    }

    private void feed(String name, String... records) {
        Cli.Result r = run(dir, bytes(String.join("\n", records) + "\n"), "feed", name);
        assertEquals(0, r.exit(), r.toString());
    }

    // ------------------------------------------------------------------ pool

    @Test
    void poolCreateListInfoDelete() {
        Cli.Result created = run(dir, "pool", "create", "a", "b", "--size", "128K", "--index-capacity", "64",
                "--json");
        assertEquals(0, created.exit(), created.toString());
        JsonNode pools = created.outJson().get(0).get("pools");
        assertEquals(2, pools.size());
        assertEquals("a", pools.get(0).get("name").asText());
        assertEquals(128 * 1024, pools.get(0).get("file_size").asLong());
        assertEquals(64, pools.get(0).get("index_capacity").asLong());
        assertTrue(Files.exists(dir.resolve("b.pool")));

        feed("a", "{\"x\":1}", "{\"x\":2}");
        JsonNode list = run(dir, "pool", "list", "--json").outJson().get(0).get("pools");
        assertEquals(List.of("a", "b"), names(list));
        assertEquals(2, list.get(0).get("message_count").asLong());
        assertEquals(1, list.get(0).get("bounds").get("oldest").asLong());
        assertEquals(2, list.get(0).get("bounds").get("newest").asLong());
        Cli.Result text = run(dir, "pool", "list");
        assertTrue(text.out().contains("a ") && text.out().contains("NAME"), text.out());

        JsonNode info = run(dir, "pool", "info", "a", "--json").outJson().get(0);
        assertEquals("a", info.get("name").asText());
        assertEquals(3, info.get("next_seq").asLong());
        assertEquals(32, info.get("pool_id").asText().length());
        Cli.Result human = run(dir, "pool", "info", "a");
        assertTrue(human.out().contains("Bounds: oldest=1 newest=2 count=2"), human.out());

        Cli.Result again = run(dir, "pool", "create", "a", "c");
        assertEquals(4, again.exit(), again.toString());
        assertEquals("AlreadyExists", again.error().get("kind").asText());
        assertTrue(Files.exists(dir.resolve("c.pool")), "the other names are still created");

        Cli.Result deleted = run(dir, "pool", "delete", "a", "b", "--json");
        assertEquals(0, deleted.exit(), deleted.toString());
        assertEquals(List.of("a", "b"), names(deleted.outJson().get(0).get("deleted")));
        assertFalse(Files.exists(dir.resolve("a.pool")));
        Cli.Result missing = run(dir, "pool", "delete", "a");
        assertEquals(3, missing.exit());
        assertEquals("NotFound", missing.error().get("kind").asText());
        assertEquals(3, run(dir, "pool", "info", "a").exit());
    }

    @Test
    void dirMayFollowTheCommand() {
        Cli.Result r = run(null, "pool", "create", "late", "--size", "64K", "--dir", dir.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(0, run(null, "feed", "late", "{\"a\":1}", "--dir", dir.toString()).exit());
        assertEquals(List.of("{\"a\":1}"), data(dir, "late"));
    }

    @Test
    void poolListShowsAnUnreadablePoolWithItsError() throws Exception {
        create("good");
        Files.write(dir.resolve("bad.pool"), new byte[100]);
        Cli.Result r = run(dir, "pool", "list", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode pools = r.outJson().get(0).get("pools");
        assertEquals("bad", pools.get(0).get("name").asText());
        assertEquals("Corrupt", pools.get(0).get("error").get("kind").asText());
        assertEquals("good", pools.get(1).get("name").asText());
    }

    @Test
    void badSizesAreUsageErrors() {
        assertEquals(2, run(dir, "pool", "create", "x", "--size", "12Q").exit());
        assertEquals(2, run(dir, "pool", "create", "x", "--size", "1K").exit());
        assertEquals(2, run(dir, "pool", "create", "x", "--index-capacity", "0").exit());
        assertFalse(Files.exists(dir.resolve("x.pool")));
    }

    // ------------------------------------------------------------------ feed

    @Test
    void feedOneMessagePrintsItsReceipt() {
        create("p");
        Cli.Result r = run(dir, "feed", "p", "{ \"msg\" : \"hi\" }", "--tag", "a", "-t", "b");
        assertEquals(0, r.exit(), r.toString());
        JsonNode receipt = r.outJson().get(0);
        assertEquals(1, receipt.get("seq").asLong());
        assertEquals("[\"a\",\"b\"]", receipt.get("meta").get("tags").toString());
        assertEquals(List.of("seq", "time", "meta"), fieldNames(receipt));
        Message m = messages(dir, "p").get(0);
        assertEquals("{\"msg\":\"hi\"}", m.dataString());
        assertEquals(List.of("a", "b"), m.tags());
        assertEquals(TimeFormat.format(m.timeNanos()), receipt.get("time").asText());
    }

    @Test
    void feedReadsJsonLinesConcatenatedJsonAndJsonSeqAlike() {
        create("p");
        String input = "{\"n\":1}\n"                       // JSON Lines
                + "{\"n\":2}{\"n\":3} {\"n\":4}\n"          // concatenated on one line
                + "\u001e{\"n\":5}\n\u001e{\"n\":6}\n"      // json-seq (RFC 7464)
                + "{\n  \"n\": 7,\n  \"s\": \"}{\\\"\"\n}\n" // pretty-printed, brackets inside a string
                + "\r\n\r\n{\"n\":8}";                      // CRLF, blank lines, no final newline
        Cli.Result r = run(dir, bytes(input), "feed", "p", "--tag", "s");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(8, r.outJson().size());
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}", "{\"n\":6}",
                "{\"n\":7,\"s\":\"}{\\\"\"}", "{\"n\":8}"), data(dir, "p"));
        for (int i = 0; i < 8; i++) {
            assertEquals(i + 1, r.outJson().get(i).get("seq").asLong());
        }
    }

    @Test
    void streamedRecordsAreStoredExactlyAsTheEngineCompactsThem() {
        create("p");
        List<String> records = List.of("{ \"a\" : 1.0, \"b\" : 1E2, \"c\" : -0, \"d\" : -0.0 }",
                "{\"big\":12345678901234567890123,\"f\":0.1000000000000000055511151231257827}",
                "{\"s\":\"caf\\u00e9 \\u2028 \\\" \\\\ \\/ \\t\",\"u\":\"\u00fc\u6f22\ud83d\ude00\"}",
                "{\"nested\":{\"x\":[1,[2,[3,{}]],null,true,false]},\"e\":{},\"arr\":[]}");
        Cli.Result r = run(dir, bytes(String.join("\n", records)), "feed", "p");
        assertEquals(0, r.exit(), r.toString());
        List<String> expected = records.stream().map(t -> dev.rockpool.pool.JsonData.parse(t).toString())
                .collect(Collectors.toList());
        assertEquals(expected, data(dir, "p"));
    }

    @Test
    void feedFromFileAndDashMeansStdin(@TempDir Path tmp) throws Exception {
        create("p");
        Path file = tmp.resolve("in.jsonl");
        Files.writeString(file, "{\"f\":1}\n{\"f\":2}\n");
        assertEquals(0, run(dir, "feed", "p", "-f", file.toString()).exit());
        assertEquals(0, run(dir, bytes("{\"f\":3}"), "feed", "p", "--file", "-").exit());
        assertEquals(List.of("{\"f\":1}", "{\"f\":2}", "{\"f\":3}"), data(dir, "p"));
        Cli.Result missing = run(dir, "feed", "p", "-f", tmp.resolve("nope").toString());
        assertEquals(3, missing.exit());
        assertEquals("NotFound", missing.error().get("kind").asText());
        Cli.Result both = run(dir, "feed", "p", "{}", "-f", file.toString());
        assertEquals(2, both.exit());
    }

    @Test
    void feedCreateMakesThePoolWithTheGivenSize() {
        Cli.Result r = run(dir, "feed", "new", "{\"a\":1}", "--create", "--create-size", "256K",
                "--durability", "flush");
        assertEquals(0, r.exit(), r.toString());
        try (Pool pool = Pool.open(dir.resolve("new.pool"))) {
            assertEquals(256 * 1024, pool.info().fileSize());
        }
        assertEquals(0, run(dir, "feed", "new", "{\"a\":2}", "--create").exit(), "an existing pool is reused");
        assertEquals(2, messages(dir, "new").size());
        assertEquals(2, run(dir, "feed", "other", "{}", "--create-size", "256K").exit(), "--create-size alone");
        assertEquals(2, run(dir, "feed", "p", "{}", "--durability", "sometimes").exit());
        assertEquals(2, run(dir, "feed", "p", "{}", "--errors", "maybe").exit());
    }

    @Test
    void feedStopKeepsTheGoodRecordsBeforeTheBadOneAndNothingAfter() {
        create("p");
        Cli.Result r = run(dir, bytes("{\"n\":1}\n{\"n\":2}\n{\"n\":\n{\"n\":4}\n"), "feed", "p");
        assertEquals(2, r.exit(), r.toString());
        assertEquals(2, r.outJson().size(), "receipts of the appended records");
        JsonNode error = r.error();
        assertEquals("Usage", error.get("kind").asText());
        assertEquals(3, error.get("record").asLong());
        assertEquals(3, error.get("line").asLong());
        assertTrue(error.get("message").asText().startsWith("record 3 (line 3): invalid JSON"), error.toString());
        assertFalse(error.get("message").asText().contains("Source:"), "no parser noise: " + error);
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), data(dir, "p"));
    }

    @Test
    void feedSkipReportsBadRecordsAndAppendsTheRest() {
        try (Pool ignored = Pool.create(dir.resolve("p.pool"), PoolOptions.ofSize(64 * 1024))) {
            // a small pool, so one record is too large
        }
        String big = "{\"big\":\"" + "x".repeat(70_000) + "\"}";
        String input = "{\"n\":1}\n"
                + "{\"n\":2\n"       // truncated line: the next line must survive
                + "{\"n\":3}\n"
                + "[1,2]\n"          // not an object
                + "hello\n"          // not JSON
                + big + "\n"         // too large for the pool
                + "{\"n\":4,\"n\":5}\n" // duplicate key
                + "{\"n\":6}\n";
        Cli.Result r = run(dir, bytes(input), "feed", "p", "--errors", "skip");
        assertEquals(Rockpool.EXIT_SKIPPED, r.exit(), "skipped records show in the exit code: " + r);
        assertEquals(List.of("{\"n\":1}", "{\"n\":3}", "{\"n\":6}"), data(dir, "p"));
        assertEquals(3, r.outJson().size());
        List<JsonNode> notices = r.errJson().stream().map(n -> n.get("notice")).collect(Collectors.toList());
        List<JsonNode> skips = notices.stream().filter(n -> n.get("kind").asText().equals("ingest_skip"))
                .collect(Collectors.toList());
        assertEquals(List.of(2L, 4L, 5L, 6L, 7L), skips.stream().map(n -> n.get("details").get("index").asLong())
                .collect(Collectors.toList()));
        assertEquals(List.of(2L, 4L, 5L, 6L, 7L), skips.stream().map(n -> n.get("details").get("line").asLong())
                .collect(Collectors.toList()));
        for (JsonNode skip : skips) {
            String error = skip.get("details").get("error").asText();
            assertFalse(error.contains("Source:") || error.contains("REDACTED") || error.contains("start marker"),
                    "what was wrong, in the user's terms: " + error);
        }
        assertTrue(skips.get(0).get("details").get("error").asText().endsWith("(line 1, column 7)"), skips.toString());
        assertEquals(0, run(dir, bytes("{\"n\":7}\n"), "feed", "p", "--errors", "skip").exit(), "nothing skipped");
        JsonNode summary = notices.get(notices.size() - 1);
        assertEquals("ingest_summary", summary.get("kind").asText());
        assertEquals(3, summary.get("details").get("ok").asLong());
        assertEquals(5, summary.get("details").get("failed").asLong());
        assertEquals("feed", summary.get("cmd").asText());
        assertEquals("p", summary.get("pool").asText());
    }

    @Test
    void feedWithoutInputOnATerminalIsAUsageError() {
        create("p");
        Cli.Result r = Cli.runOnTerminal(dir, "feed", "p");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("rockpool: Usage: no input"), r.err());
        assertEquals(1, Cli.lines(r.err()).size(), "one human line on a terminal");
    }

    // ------------------------------------------------------------------ follow

    private void sample() {
        create("p");
        try (Pool pool = Pool.open(dir.resolve("p.pool"))) {
            pool.append(Draft.of("{\"level\":\"info\",\"n\":1}", "app"));
            pool.append(Draft.of("{\"level\":\"error\",\"n\":2}", "app", "sev1"));
            pool.append(Draft.of("{\"level\":\"info\",\"n\":3}", "db"));
            pool.append(Draft.of("{\"level\":\"error\",\"n\":4,\"msg\":\"gateway timeout\"}", "db", "sev1"));
            pool.append(Draft.of("{\"level\":\"warn\",\"n\":5}", "app"));
        }
    }

    private List<Long> followNs(String... args) {
        List<String> full = new ArrayList<>(List.of("follow", "p"));
        full.addAll(List.of(args));
        Cli.Result r = run(dir, full.toArray(new String[0]));
        assertEquals(0, r.exit(), r.toString());
        return r.outJson().stream().map(n -> n.path("data").isMissingNode() ? n.get("n").asLong()
                : n.get("data").get("n").asLong()).collect(Collectors.toList());
    }

    @Test
    void followNoFollowPrintsEverythingAsEnvelopes() {
        sample();
        Cli.Result r = run(dir, "follow", "p", "--no-follow");
        assertEquals(0, r.exit(), r.toString());
        List<JsonNode> out = r.outJson();
        assertEquals(5, out.size());
        JsonNode first = out.get(0);
        assertEquals(List.of("seq", "time", "meta", "data"), fieldNames(first));
        assertEquals("{\"tags\":[\"app\"]}", first.get("meta").toString());
        assertEquals(1, first.get("data").get("n").asLong());
        assertEquals(r.out().lines().count(), 5, "jsonl when stdout is not a terminal");
    }

    @Test
    void followFiltersCompose() {
        sample();
        assertEquals(List.of(2L, 4L), followNs("--no-follow", "--tag", "sev1"));
        assertEquals(List.of(4L), followNs("--no-follow", "--tag", "sev1", "--tag", "db"));
        assertEquals(List.of(2L, 4L), followNs("--no-follow", "--where", ".data.level == \"error\""));
        assertEquals(List.of(4L), followNs("--no-follow", "--where", ".data.level == \"error\"",
                "--where", ".data.msg | test(\"time\")"), "a runtime error (no msg) drops the message");
        assertEquals(List.of(2L), followNs("--no-follow", "--tag", "app", "--where", ".data.n > 1",
                "--where", ".meta.tags | index(\"sev1\") != null"));
        assertEquals(List.of(5L), followNs("--no-follow", "--where", ".seq == 5"));
    }

    @Test
    void followStartPositions() throws Exception {
        sample();
        assertEquals(List.of(4L, 5L), followNs("--no-follow", "--tail", "2"));
        assertEquals(List.of(2L, 4L), followNs("--no-follow", "--tail", "2", "--tag", "sev1"),
                "tail with a filter: the last N matching");
        assertEquals(List.of(4L), followNs("--no-follow", "-n", "1", "--where", ".data.level == \"error\""));
        assertEquals(List.of(), followNs("--no-follow", "--tail", "0", "--tag", "sev1"));
        assertEquals(List.of(), followNs("--no-follow", "--tail", "0"));
        assertEquals(List.of(3L, 4L, 5L), followNs("--no-follow", "--from-seq", "3"));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), followNs("--no-follow", "--since", "1h"));
        Message third = messages(dir, "p").get(2);
        assertEquals(List.of(3L, 4L, 5L), followNs("--no-follow", "--since", TimeFormat.format(third.timeNanos())));
        assertEquals(List.of(), followNs("--no-follow", "--since", "2200-01-01T00:00:00Z"));
        assertEquals(2, run(dir, "follow", "p", "--tail", "1", "--from-seq", "1").exit());
        assertEquals(2, run(dir, "follow", "p", "--since", "yesterday").exit());
    }

    @Test
    void followLimitOneDataOnlyAndFormats() {
        sample();
        assertEquals(List.of(1L, 2L), followNs("--no-follow", "--limit", "2"));
        assertEquals(List.of(2L), followNs("--no-follow", "--one", "--tag", "sev1"));
        Cli.Result data = run(dir, "follow", "p", "--no-follow", "--data-only", "--where", ".seq == 1");
        assertEquals("{\"level\":\"info\",\"n\":1}\n", data.out());
        Cli.Result pretty = run(dir, "follow", "p", "--no-follow", "--format", "pretty", "--limit", "1");
        String time = TimeFormat.format(messages(dir, "p").get(0).timeNanos());
        String expected = "{\n  \"seq\": 1,\n  \"time\": \"" + time + "\",\n"
                + "  \"meta\": {\n    \"tags\": [\n      \"app\"\n    ]\n  },\n"
                + "  \"data\": {\n    \"level\": \"info\",\n    \"n\": 1\n  }\n}\n";
        assertEquals(expected, pretty.out(), "indented as jq does");
        assertEquals(1, Cli.json(pretty.out()).get("seq").asLong());
        Cli.Result terminal = Cli.runOnTerminal(dir, "follow", "p", "--no-follow", "--limit", "1", "--data-only");
        assertTrue(terminal.out().contains("\n  \"n\": 1"), "pretty by default on a terminal: " + terminal.out());
        Cli.Result jsonl = Cli.runOnTerminal(dir, "follow", "p", "--no-follow", "--format", "jsonl", "--one");
        assertEquals(1, Cli.lines(jsonl.out()).size());
        assertEquals(2, run(dir, "follow", "p", "--format", "yaml").exit());
        assertEquals(2, run(dir, "follow", "p", "--one", "--limit", "3").exit());
        assertEquals(2, run(dir, "follow", "p", "--limit", "0").exit());
    }

    @Test
    void followReplayPrintsEverythingAndExits() {
        sample();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), followNs("--replay", "0"));
        assertEquals(List.of(3L, 4L, 5L), followNs("--replay", "1000", "--from-seq", "3"));
        assertEquals(2, run(dir, "follow", "p", "--replay", "-1").exit());
    }

    @Test
    void followTimeoutWithNothingToPrintExits124() {
        sample();
        Cli.Result r = run(dir, "follow", "p", "--timeout", "200ms");
        assertEquals(124, r.exit(), r.toString());
        assertEquals("", r.out());
        Cli.Result found = run(dir, "follow", "p", "--tail", "1", "--one", "--timeout", "5s");
        assertEquals(0, found.exit(), "--one satisfied before the timeout");
        assertEquals(2, run(dir, "follow", "p", "--timeout", "soon").exit());
    }

    @Test
    void followGapsNoticeOrFail() {
        try (Pool pool = Pool.create(dir.resolve("small.pool"), PoolOptions.ofSize(64 * 1024))) {
            for (int i = 0; i < 2000; i++) {
                pool.append(Draft.of("{\"i\":" + i + ",\"pad\":\"" + "x".repeat(100) + "\"}"));
            }
        }
        Cli.Result cont = run(dir, "follow", "small", "--from-seq", "1", "--no-follow", "--limit", "1");
        assertEquals(0, cont.exit(), cont.toString());
        JsonNode notice = cont.errJson().get(0).get("notice");
        assertEquals("drop", notice.get("kind").asText());
        assertEquals("follow", notice.get("cmd").asText());
        assertEquals(1, notice.get("details").get("first_missing_seq").asLong());
        long dropped = notice.get("details").get("dropped_count").asLong();
        assertTrue(dropped > 0);
        assertEquals(dropped + 1, cont.outJson().get(0).get("seq").asLong());

        Cli.Result quiet = run(dir, "follow", "small", "--from-seq", "1", "--no-follow", "--one", "--quiet-drops");
        assertEquals("", quiet.err());

        Cli.Result fail = run(dir, "follow", "small", "--from-seq", "1", "--no-follow", "--on-gap", "fail");
        assertEquals(9, fail.exit(), fail.toString());
        JsonNode error = fail.error();
        assertEquals("RetentionGap", error.get("kind").asText());
        assertEquals(1, error.get("seq").asLong());
        assertEquals("", fail.out());
        assertEquals(2, run(dir, "follow", "small", "--on-gap", "maybe").exit());
    }

    // ------------------------------------------------------------------ fetch, doctor, version, completion

    @Test
    void fetchOneMessage() {
        sample();
        Cli.Result r = run(dir, "fetch", "p", "2");
        assertEquals(0, r.exit(), r.toString());
        JsonNode m = r.outJson().get(0);
        assertEquals(2, m.get("seq").asLong());
        assertEquals("[\"app\",\"sev1\"]", m.get("meta").get("tags").toString());
        assertEquals("{\"level\":\"error\",\"n\":2}\n", run(dir, "fetch", "p", "2", "--data-only").out());
        Cli.Result gone = run(dir, "fetch", "p", "99");
        assertEquals(3, gone.exit());
        assertEquals("NotFound", gone.error().get("kind").asText());
        assertEquals(99, gone.error().get("seq").asLong());
        assertEquals(2, run(dir, "fetch", "p", "zero").exit());
        assertEquals(2, run(dir, "fetch", "p", "0").exit());
    }

    @Test
    void doctorReportsCleanAndCorruptPools() throws Exception {
        sample();
        create("q");
        Cli.Result ok = run(dir, "doctor", "p", "--json");
        assertEquals(0, ok.exit(), ok.toString());
        JsonNode report = ok.outJson().get(0).get("reports").get(0);
        assertEquals("ok", report.get("status").asText());
        assertEquals(5, report.get("messages").asLong());
        assertTrue(run(dir, "doctor", "p").out().startsWith("OK "));

        corruptFirstFrame(dir.resolve("p.pool"));
        Cli.Result bad = run(dir, "doctor", "--all", "--json");
        assertEquals(7, bad.exit(), bad.toString());
        JsonNode reports = bad.outJson().get(0).get("reports");
        assertEquals("corrupt", reports.get(0).get("status").asText());
        assertTrue(reports.get(0).get("issues").size() > 0);
        assertEquals("ok", reports.get(1).get("status").asText());
        assertEquals("Corrupt", bad.error().get("kind").asText());
        assertTrue(run(dir, "doctor", "p").out().startsWith("CORRUPT "));
        assertEquals(3, run(dir, "doctor", "nope").exit());
        assertEquals(2, run(dir, "doctor").exit());
        assertEquals(2, run(dir, "doctor", "p", "--all").exit());
    }

    /** Flips bytes in the data of the first message: its checksum no longer matches. */
    static void corruptFirstFrame(Path file) throws Exception {
        long ringOffset;
        try (Pool pool = Pool.open(file)) {
            ringOffset = pool.info().fileSize() - pool.info().ringCapacity();
        }
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            ch.read(b, ringOffset + 40);
            for (int i = 0; i < 16; i++) {
                b.put(i, (byte) ~b.get(i));
            }
            b.rewind();
            ch.write(b, ringOffset + 40);
        }
    }

    @Test
    void versionAndHelp() {
        Cli.Result v = run(null, "version");
        assertEquals(0, v.exit());
        assertEquals("rockpool", v.outJson().get(0).get("name").asText());
        assertTrue(v.outJson().get(0).has("pool_format_version"));
        Cli.Result flag = run(null, "--version");
        assertTrue(flag.out().startsWith("rockpool "), flag.out());
        Cli.Result help = run(null, "--help");
        assertEquals(0, help.exit());
        for (String command : List.of("pool", "feed", "follow", "fetch", "doctor", "version", "completion")) {
            assertTrue(help.out().contains(command), command);
        }
        assertEquals(0, run(null, "follow", "--help").exit());
        Cli.Result none = run(null);
        assertEquals(2, none.exit());
        assertEquals("Usage", none.error().get("kind").asText());
        Cli.Result unknown = run(null, "frobnicate");
        assertEquals(2, unknown.exit());
        Cli.Result missingSub = run(dir, "pool");
        assertEquals(2, missingSub.exit());
    }

    @Test
    void completionScripts() {
        Cli.Result bash = run(null, "completion", "bash");
        assertEquals(0, bash.exit());
        assertTrue(bash.out().contains("complete -F") && bash.out().contains("--where")
                && bash.out().contains("--replay"), "bash script covers follow's options");
        Cli.Result zsh = run(null, "completion", "zsh");
        assertEquals(0, zsh.exit());
        assertTrue(zsh.out().contains("bashcompinit"));
        assertEquals(2, run(null, "completion", "fish").exit());
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.get("name").asText()));
        return names;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
