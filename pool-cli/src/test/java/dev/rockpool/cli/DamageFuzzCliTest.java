package dev.rockpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.testing.Fuzz;
import dev.rockpool.pool.testing.FuzzCase;
import dev.rockpool.pool.testing.FuzzPools;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged and hostile pool files through the CLI (issue 13): the engine's damage cases ({@link Fuzz}), each pool then
 * inspected, doctored, followed, fetched and fed by {@code rockpool} commands, in-process for most cases and as real
 * processes ({@code bin/rockpool}) for a sample. Invariants: no command exits 1 (Internal); stdout and stderr are
 * UTF-8; every line a command prints is a whole JSON value (an envelope for {@code follow}/{@code fetch}); a Corrupt
 * error of a read names the file offset; a message {@code feed} acknowledged is there for {@code fetch} afterwards.
 */
class DamageFuzzCliTest {
    @TempDir
    static Path dir;

    @Test
    void generatedDamageInProcess() {
        Fuzz.run(dir, Fuzz.tries(10, 20), "cli", DamageFuzzCliTest::checkInProcess);
    }

    @Test
    void generatedDamageAsProcesses() {
        Fuzz.run(dir, 1_000_000, Fuzz.tries(1000, 3), "cli", (built, file, c) -> check(built, file, args ->
                Cli.exec(Cli.process(Cli.launcher(), dir, args), new byte[0]), false));
    }

    @TestFactory
    Stream<DynamicTest> regressions() {
        return Fuzz.regressions(dir, "cli", DamageFuzzCliTest::checkInProcess);
    }

    private static void checkInProcess(FuzzPools.Built built, Path file, FuzzCase c) {
        check(built, file, args -> Cli.run(null, args.toArray(new String[0])), true);
    }

    /** Runs the commands on the damaged pool; {@code all} adds those a process sample leaves out for time. */
    private static void check(FuzzPools.Built built, Path file, Function<List<String>, Cli.Result> cli,
                              boolean all) {
        String pool = file.toString();
        List<Long> seqs = new ArrayList<>(built.originals().keySet());
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("follow", pool, "--no-follow", "--format", "jsonl"));
        commands.add(List.of("doctor", pool, "--json"));
        if (all) {
            commands.add(List.of("pool", "info", pool, "--json"));
            commands.add(List.of("follow", pool, "--no-follow", "--data-only"));
            commands.add(List.of("follow", pool, "--no-follow", "--tail", "2", "--format", "jsonl"));
            commands.add(List.of("follow", pool, "--no-follow", "--format", "pretty"));
            for (int i = 0; i < seqs.size(); i += Math.max(1, seqs.size() / 3)) {
                commands.add(List.of("fetch", pool, Long.toString(seqs.get(i)), "--format", "jsonl"));
            }
        }
        for (List<String> command : commands) {
            Cli.Result r = cli.apply(command);
            checkResult(command, r);
        }
        Cli.Result feed = cli.apply(List.of("feed", pool, "{\"fuzz\":\"cli\"}", "--tag", "fuzz"));
        checkResult(List.of("feed"), feed);
        if (feed.exit() == 0) {
            long seq = feed.outJson().get(0).get("seq").asLong();
            Cli.Result fetch = cli.apply(List.of("fetch", pool, Long.toString(seq), "--format", "jsonl"));
            assertEquals(0, fetch.exit(), () -> "feed acknowledged seq " + seq + ", fetch says:\n" + fetch);
            JsonNode envelope = fetch.outJson().get(0);
            assertEquals("{\"fuzz\":\"cli\"}", envelope.get("data").toString(), fetch::toString);
            assertEquals("[\"fuzz\"]", envelope.get("meta").get("tags").toString(), fetch::toString);
        }
    }

    private static void checkResult(List<String> command, Cli.Result r) {
        assertNotEquals(1, r.exit(), () -> "exit 1 (internal error) from " + command + "\n" + r);
        boolean envelopes = command.get(0).equals("fetch") || command.get(0).equals("follow")
                && !command.contains("--data-only");
        for (JsonNode value : values(r, command)) {
            assertTrue(value.isObject(), () -> "not a JSON object from " + command + ": " + value);
            if (envelopes) {
                assertTrue(value.has("seq") && value.has("time") && value.path("meta").path("tags").isArray()
                        && value.path("data").isObject(), () -> "not a whole envelope from " + command + ": " + value);
            }
        }
        for (JsonNode line : r.errJson()) {
            JsonNode error = line.get("error");
            assertTrue(error != null || line.has("notice"), () -> "stderr of " + command + ": " + line);
            if (error != null && error.get("kind").asText().equals("Corrupt") && !command.get(0).equals("doctor")) {
                assertTrue(error.has("offset") && error.has("path"), () -> "a Corrupt error without an offset from "
                        + command + ": " + error);
            }
        }
    }

    /** Every JSON value on stdout: one per line, or (pretty) indented values one after another. */
    private static List<JsonNode> values(Cli.Result r, List<String> command) {
        if (!command.contains("pretty")) {
            return r.outJson();
        }
        try (MappingIterator<JsonNode> it = JsonTrees.MAPPER.readerFor(JsonNode.class).readValues(r.out())) {
            return it.readAll();
        } catch (IOException e) {
            throw new AssertionError("not JSON values from " + command + ": " + r, e);
        }
    }
}
