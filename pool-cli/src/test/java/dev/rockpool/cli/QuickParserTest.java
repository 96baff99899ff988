package dev.rockpool.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link QuickParser} against picocli on the same command lines: whatever the quick parser binds, picocli parses
 * without error to the same command with the same value in every argument; whatever picocli refuses, the quick parser
 * leaves to it. Thousands of command lines made at random from the commands' own arguments, with values good and bad,
 * plus the usual command lines, which the quick parser must bind itself.
 */
class QuickParserTest {
    private static final List<List<String>> COMMANDS = List.of(List.of("feed"), List.of("fetch"), List.of("follow"),
            List.of("pool", "create"), List.of("pool", "list"), List.of("pool", "info"), List.of("pool", "delete"),
            List.of("doctor"), List.of("version"), List.of("completion"), List.of("pool"), List.of("serve"),
            List.of("serve", "init"), List.of("serve", "check"), List.of());
    /** Values for options and positional parameters: good ones for some argument, bad ones for all. */
    private static final List<String> VALUES = List.of("p", "logs", "./a.pool", "../x", "a/b", "{}", "{\"a\":1}", "-",
            "1", "0", "-1", "7", "x", "", "64K", "3G", "1M", "fast", "FLUSH", "Skip", "stop", "pretty", "JSONL",
            "continue", "FAIL", "bash", "zsh", "10s", "0s", "500ms", "2.5", "2026-11-22T01:02:03Z", "yesterday", "a=b",
            "http://127.0.0.1:9700/p", "https://h:1/a/b", "http://h:1", "127.0.0.1:0", "read-only", "WRITE-ONLY", "8",
            "https://app.example:8443", "init", "check", "./token");
    /** Tokens no command binds quickly: help, unknown options, the end of options, an argument file. */
    private static final List<String> FOREIGN = List.of("-h", "--help", "-V", "--bogus", "-x", "--", "@args",
            "--dir", "-tx", "--one=true");

    @Test
    void theUsualCommandLinesAreBoundQuicklyToWhatPicocliFills() {
        for (String line : List.of("feed p {\"a\":1}", "--dir /tmp/x feed p {} -t a --tag b", "feed logs -f -",
                "feed p --create --create-size 1M {}", "feed p {} --durability flush --errors=skip", "fetch p 3",
                "fetch p 3 --format pretty --data-only", "pool info p", "pool info ./p.pool --json",
                "pool create a b --size 1M", "pool list", "pool delete a", "follow p --one", "version",
                "follow p --tail 1 --one --timeout 10s", "follow p -n 5 -w .data.a --no-follow --on-gap fail",
                "follow p --since 2026-11-22T01:02:03Z --limit 3 --replay 2.5", "doctor p", "doctor --all --json",
                "completion bash", "feed http://127.0.0.1:9700/p {} --token-file t --tls-ca ca.pem",
                "follow https://h:9443/p --tls-skip-verify --one", "fetch http://h:1/p 2 --token-file ./t",
                "pool info http://h:1/p --json", "pool list http://h:1 --tls-skip-verify",
                "pool create http://h:1/a b --size 1M", "pool delete http://h:1/a --token-file t",
                "serve --bind 127.0.0.1:0 --access read-only --max-streams 8 check --json",
                "serve --tls-self-signed --cors-origin https://app.example --cors-origin http://b:1 check",
                "serve --plasma-pool p --event-query t --heartbeat 5s --sse-retry 0s check",
                "serve init --output-dir /tmp/x --bind 127.0.0.1:9700 --force")) {
            String[] args = line.split(" ");
            assertNotNull(QuickParser.bind(new Rockpool(io()), args), line);
            assertSameBinding(args);
        }
    }

    @Test
    void randomCommandLinesBindAsPicocliDoesOrAreLeftToIt() {
        Random random = new Random(17);
        int bound = 0;
        int total = 0;
        for (List<String> command : COMMANDS) {
            List<String> names = optionNames(command);
            for (int n = 0; n < 1000; n++) {
                String[] args = randomLine(random, command, names);
                if (assertSameBinding(args)) {
                    bound++;
                }
                total++;
            }
        }
        assertTrue(bound > total / 20, "the quick parser binds a fair share of them: " + bound + " of " + total);
    }

    /** True if the quick parser bound {@code args}; either way it agrees with picocli. */
    private static boolean assertSameBinding(String[] args) {
        String line = String.join(" ", args);
        Rockpool quickRoot = new Rockpool(io());
        CliCommand quick = QuickParser.bind(quickRoot, args);
        Rockpool picoRoot = new Rockpool(io());
        CommandLine cl = Rockpool.commandLine(picoRoot, Rockpool.commandNamed(args));
        ParseResult parsed;
        try {
            parsed = cl.parseArgs(args);
        } catch (ParameterException e) {
            assertEquals(null, quick, () -> "picocli refuses '" + line + "' (" + e.getMessage() + "), quick binds it");
            return false;
        }
        if (quick == null) {
            return false;
        }
        assertFalse(parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested(), line);
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        assertTrue(parsed.unmatched().isEmpty(), line);
        Object picocli = parsed.commandSpec().userObject();
        assertSame(picocli.getClass(), quick.getClass(), line);
        assertEquals(values(picoRoot), values(quickRoot), "--dir of: " + line);
        assertEquals(values((CliCommand) picocli), values(quick), line);
        return true;
    }

    /**
     * The value of every argument of the command, in declaration order. {@code --since 10s} is a time ten seconds before
     * the parse, and the two parses are not at the same instant: such times are equal within a minute.
     */
    private static List<Object> values(CliCommand command) {
        List<ArgSpec> args = new ArrayList<>(command.arguments().ungrouped());
        command.arguments().groups().forEach(g -> args.addAll(g.args()));
        List<Object> values = new ArrayList<>();
        for (ArgSpec arg : args) {
            Object value = arg.getValue();
            boolean since = arg instanceof OptionSpec && ((OptionSpec) arg).longestName().equals("--since");
            values.add(since && value != null ? new AboutTheSameTime((Long) value) : value);
        }
        return values;
    }

    /** A time computed from "now": equal to another within a minute. */
    private record AboutTheSameTime(long nanos) {
        @Override
        public boolean equals(Object o) {
            return o instanceof AboutTheSameTime && Math.abs(((AboutTheSameTime) o).nanos - nanos) < 60_000_000_000L;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    private static List<String> optionNames(List<String> path) {
        CliCommand command = new Rockpool(io());
        for (String name : path) {
            command = command.subcommand(name);
        }
        List<String> names = new ArrayList<>();
        List<ArgSpec> args = new ArrayList<>(command.arguments().ungrouped());
        command.arguments().groups().forEach(g -> args.addAll(g.args()));
        for (ArgSpec arg : args) {
            if (arg instanceof OptionSpec) {
                names.addAll(List.of(((OptionSpec) arg).names()));
            }
        }
        return names;
    }

    private static String[] randomLine(Random random, List<String> command, List<String> names) {
        List<String> args = new ArrayList<>();
        if (random.nextInt(4) == 0) {
            args.add("--dir");
            args.add(pick(random, List.of("/tmp/d", "d", "x=y")));
        }
        args.addAll(command);
        int tokens = random.nextInt(6);
        for (int t = 0; t < tokens; t++) {
            int kind = random.nextInt(10);
            if (kind < 5 && !names.isEmpty()) {
                String name = pick(random, names);
                String value = pick(random, VALUES);
                if (random.nextInt(3) == 0 && name.startsWith("--")) {
                    args.add(name + "=" + value);
                } else {
                    args.add(name);
                    if (random.nextInt(5) != 0) {
                        args.add(value);
                    }
                }
            } else if (kind < 9) {
                args.add(pick(random, VALUES));
            } else {
                args.add(pick(random, FOREIGN));
            }
        }
        return args.toArray(new String[0]);
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static Io io() {
        return new Io(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), new ByteArrayOutputStream(),
                false, false, false);
    }
}
