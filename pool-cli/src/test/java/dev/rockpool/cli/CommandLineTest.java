package dev.rockpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.rockpool.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What picocli checks from the declarations (types, groups, help) and how its findings reach the user. */
class CommandLineTest {
    private static final List<List<String>> COMMANDS = List.of(List.of(), List.of("pool"), List.of("pool", "create"),
            List.of("pool", "list"), List.of("pool", "info"), List.of("pool", "delete"), List.of("feed"),
            List.of("follow"), List.of("fetch"), List.of("doctor"), List.of("version"), List.of("completion"));

    @TempDir
    Path dir;

    @Test
    void helpShowsTheConstraintsAndNeverSplitsTheDefaultDirectory() {
        String previous = System.getProperty("picocli.usage.width");
        try {
            for (String width : List.of("80", "55")) {
                System.setProperty("picocli.usage.width", width);
                for (List<String> command : COMMANDS) {
                    List<String> args = new java.util.ArrayList<>(command);
                    args.add("--help");
                    Cli.Result help = run(null, args.toArray(new String[0]));
                    assertEquals(0, help.exit(), help.toString());
                    assertTrue(help.out().contains("~/.rockpool/pools"), command + " at " + width + ":\n" + help.out());
                }
            }
        } finally {
            if (previous == null) {
                System.clearProperty("picocli.usage.width");
            } else {
                System.setProperty("picocli.usage.width", previous);
            }
        }
        String follow = run(null, "follow", "--help").out().replaceAll("\\s+", " ");
        assertTrue(follow.contains("[-n=N | --since=TIME | --from-seq=SEQ]"), follow);
        assertTrue(follow.contains("[--limit=N | --one]"), follow);
        String feed = run(null, "feed", "--help").out().replaceAll("\\s+", " ");
        assertTrue(feed.contains("[--create [--create-size=SIZE]]"), feed);
        assertTrue(run(null, "doctor", "--help").out().contains("(POOL | --all)"));
    }

    @Test
    void anUnknownCommandIsAUsageErrorEvenWithHelp() {
        for (List<String> args : List.of(List.of("serv", "--help"), List.of("serv"),
                List.of("--dir", "/tmp", "serv", "-h"))) {
            Cli.Result r = run(null, args.toArray(new String[0]));
            assertEquals(2, r.exit(), r.toString());
            assertEquals("", r.out(), "no help text: " + r);
            JsonNode error = r.error();
            assertEquals("Usage", error.get("kind").asText());
            assertEquals("unknown command 'serv'", error.get("message").asText(), error.toString());
        }
        assertEquals(0, run(null, "pool", "--help").exit(), "a known command's help");
    }

    @Test
    void typedOptionsNameTheOptionAndWhatItTakes() {
        createPool();
        JsonNode since = run(dir, "follow", "p", "--since", "yesterday").error();
        assertTrue(since.get("message").asText().contains("--since") && since.get("message").asText()
                .contains("a duration") && since.get("message").asText().contains("RFC 3339"), since.toString());
        assertEquals(2, run(dir, "follow", "p", "--tail", "-1").exit());
        assertEquals(2, run(dir, "follow", "p", "--timeout", "0s").exit());
        assertEquals(2, run(dir, "pool", "create", "q", "--size", "2T").exit());
        JsonNode name = run(dir, "pool", "create", "a", "../b").error();
        assertTrue(name.get("message").asText().contains("invalid pool name '../b'"), name.toString());
        assertFalse(dir.resolve("a.pool").toFile().exists(), "a bad name refuses the whole command line");
        JsonNode exclusive = run(dir, "follow", "p", "--tail", "1", "--from-seq", "1").error();
        assertTrue(exclusive.get("message").asText().contains("mutually exclusive"), exclusive.toString());
        assertFalse(exclusive.get("message").asText().startsWith("Error"), exclusive.toString());
        assertEquals(0, run(dir, "feed", "p", "{}", "--durability", "FLUSH").exit(), "enums ignore case");
    }

    @Test
    void versionFlagAndCommandAgree() {
        String version = run(null, "version").outJson().get(0).get("version").asText();
        Cli.Result flag = run(null, "--version");
        assertEquals(0, flag.exit());
        assertTrue(flag.out().startsWith("rockpool " + version + " ("), flag.out());
    }

    @Test
    void followTimeoutSaysWhyOnATerminalOnly() {
        createPool();
        Cli.Result terminal = Cli.runOnTerminal(dir, "follow", "p", "--timeout", "300ms");
        assertEquals(Rockpool.EXIT_TIMEOUT, terminal.exit(), terminal.toString());
        assertEquals("", terminal.out(), "stdout stays clean");
        assertEquals("rockpool: follow p: no message printed for 300ms (--timeout): exit 124\n", terminal.err());
        Cli.Result script = run(dir, "follow", "p", "--timeout", "300ms");
        assertEquals(Rockpool.EXIT_TIMEOUT, script.exit(), script.toString());
        assertEquals("", script.err(), "a script reads the exit code");
    }

    private void createPool() {
        Pool.create(dir.resolve("p.pool"), PoolOptions.ofSize(PoolOptions.MIN_SIZE)).close();
    }
}
