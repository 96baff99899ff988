package dev.rockpool.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the documentation: every shell example of each document in {@link #documents()}, in order, in one terminal
 * per document, as a reader pasting them would, and checks what the document says they print and exit with
 * (conventions in {@link DocExamples}). A document whose example drifts from the tool fails the build.
 *
 * <p>Each document runs in a scratch directory that links to the repository's files (so {@code bin/rockpool} and
 * {@code config-examples/} are where the README says), with its own {@code HOME} (so {@code ~/.rockpool/pools} is
 * empty) and {@code rockpool} on the {@code PATH} ({@code $HOME/bin/rockpool}, a link to {@code bin/rockpool}, as
 * docs/CLI.md suggests). The local stack the examples start runs on free ports in a temporary state directory, as in
 * {@link StackEndToEndIT}; the only changes made to the commands and the output they show are {@link
 * #substitutions}.
 */
class DocsIT {
    /** The documents whose examples run, in this order ({@code -Drockpool.docs=docs/CLI.md,...} picks some). */
    static Stream<String> documents() {
        List<String> picked = List.of(System.getProperty("rockpool.docs", "").split(","));
        return Stream.of(
                "README.md",
                "docs/CLI.md",
                "docs/SERVER.md",
                "docs/TRANSFORMS.md",
                "config-examples/README.md")
                .filter(doc -> picked.equals(List.of("")) || picked.contains(doc));
    }

    /**
     * Examples that describe behaviour being built elsewhere: they run and are reported, but do not fail the build
     * while they differ from the tool. Once they pass, the report says so and the entry can go.
     */
    private static final List<Pending> PENDING = List.of();

    /** Longest one example may take: the README's first command starts the stack and runs the demo. */
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);
    /** A command that starts Maven: never run from within the build (mvn verify would start this test again). */
    private static final Pattern MAVEN = Pattern.compile("(^|[\\s;&|(])mvn\\s");

    @TempDir
    static Path temp;
    private static Scripts.Stack stack;

    /** An example waiting for work elsewhere: the document, a piece of the command, and what it waits for. */
    record Pending(String doc, String command, String waitsFor) {
        boolean covers(DocExamples.Step step) {
            return step.doc().equals(doc) && step.command().contains(command);
        }
    }

    @BeforeAll
    static void stackOnFreePorts() {
        stack = Scripts.Stack.onFreePorts(temp.resolve("stack"));
        Scripts.Stack started = stack;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.run("down"), "stack-down"));
    }

    @AfterAll
    static void stackDown() {
        if (stack != null) {
            Scripts.Result down = stack.run("down");
            assertEquals(0, down.exitCode(), down::describe);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void examplesRunAsWritten(String doc) throws Exception {
        List<DocExamples.Step> steps = DocExamples.read(Scripts.root(), doc);
        assertFalse(steps.isEmpty(), doc + " has no shell examples");
        Path session = Files.createDirectories(temp.resolve(doc.replaceAll("[^A-Za-z0-9.]", "_")));
        Path home = Files.createDirectories(session.resolve("home"));
        Path work = linkedCheckout(Files.createDirectories(session.resolve("work")));
        Files.createDirectories(home.resolve("bin"));
        Files.createSymbolicLink(home.resolve("bin/rockpool"), Scripts.root().resolve("bin/rockpool"));

        DocRun run = new DocRun(substitutions(home));
        try (DocShell shell = new DocShell(work, session, environment(home));
             Unlinking links = () -> unlink(work, home.resolve("bin"))) {
            for (DocExamples.Step step : steps) {
                run.step(shell, step);
            }
        }
        Path transcriptFile = Path.of(Scripts.required("rockpool.docs.transcripts"), session.getFileName() + ".txt");
        Files.createDirectories(transcriptFile.getParent());
        Files.writeString(transcriptFile, run.transcript);
        System.out.println(doc + ": " + steps.size() + " examples (what they printed: " + transcriptFile + ")"
                + run.report.stream().map(line -> "\n  " + line).collect(Collectors.joining()));
        if (!run.failures.isEmpty()) {
            fail(doc + ": " + run.failures.size() + " examples do not do what it says:\n\n"
                    + String.join("\n\n", run.failures));
        }
    }

    /** One document's run: what failed, what the report lists (not run, pending), and what the commands printed. */
    private static final class DocRun {
        final Map<String, String> substitutions;
        final List<String> failures = new ArrayList<>();
        final List<String> report = new ArrayList<>();
        final StringBuilder transcript = new StringBuilder();

        DocRun(Map<String, String> substitutions) {
            this.substitutions = substitutions;
        }

        void step(DocShell shell, DocExamples.Step step) throws IOException, InterruptedException {
            if (step.notRun() != null) {
                report.add("not run  " + step.where() + "  " + firstLine(step) + "  (" + step.notRun() + ")");
                return;
            }
            if (MAVEN.matcher(step.command()).find()) {
                failures.add(step.where() + ": " + step.command() + "\nruns Maven inside the build that runs this "
                        + "test: say 'not run by the docs test' in its comment");
                return;
            }
            DocExamples.Step substituted = step.substituted(substitutions);
            DocShell.Result result;
            try {
                result = shell.run(substituted.command(), STEP_TIMEOUT);
            } catch (AssertionError e) {
                throw new AssertionError(step.where() + ": " + step.command() + "\n" + e.getMessage()
                        + (failures.isEmpty() ? "" : "\n\nbefore that:\n" + String.join("\n\n", failures)), e);
            }
            transcript.append("$ ").append(step.command()).append("   [").append(step.where()).append(", exit ")
                    .append(result.exitCode()).append("]\n").append(result.output())
                    .append(result.output().isEmpty() || result.output().endsWith("\n") ? "" : "\n");
            String problem = DocExamples.check(substituted, result.exitCode(), result.output());
            Pending pending = PENDING.stream().filter(p -> p.covers(step)).findFirst().orElse(null);
            if (pending != null) {
                report.add((problem == null ? "pending, now passes (remove it from PENDING)  " : "pending  ")
                        + step.where() + "  " + firstLine(step) + "  (waits for " + pending.waitsFor() + ")");
            } else if (problem != null) {
                failures.add(step.where() + ": " + step.command() + "\n" + problem);
            }
        }
    }

    /**
     * What the test changes in the documents' commands and in the output they show: the stack's ports (the documents
     * say 127.0.0.1:9092/9093/8083), the ports of the servers the documents start ({@code rockpool serve} on 9700,
     * with TLS on 9443; free ones for each document), the build output of this Maven run (the same paths unless
     * -Dbuild.suffix), and the home directory the examples' output shows ({@code /home/me}).
     */
    private static Map<String, String> substitutions(Path home) {
        Map<String, String> substitutions = new LinkedHashMap<>();
        Set<Integer> taken = new HashSet<>(Set.of(stack.kafkaPort, stack.controllerPort, stack.connectPort));
        int serve = Scripts.freePort(taken);
        substitutions.put("127.0.0.1:9700", "127.0.0.1:" + serve);
        substitutions.put("localhost:9700", "localhost:" + serve);
        substitutions.put("127.0.0.1:9443", "127.0.0.1:" + Scripts.freePort(taken));
        substitutions.put("127.0.0.1:8083", "127.0.0.1:" + stack.connectPort);
        substitutions.put("127.0.0.1:9092", "127.0.0.1:" + stack.kafkaPort);
        substitutions.put("127.0.0.1:9093", "127.0.0.1:" + stack.controllerPort);
        substitutions.put("local-stack/target/kafka-lib", Scripts.required("rockpool.kafka.lib"));
        substitutions.put("connect-plugin/target/rockpool-connect-plugin", Scripts.required("rockpool.plugin.dir"));
        substitutions.put("/home/me", home.toString());
        return substitutions;
    }

    /** This JVM's environment, without the reader's rockpool settings, with the session's home and the stack's. */
    private static Map<String, String> environment(Path home) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(key -> key.startsWith("ROCKPOOL_"));
        env.putAll(stack.env());
        env.put("HOME", home.toString());
        env.put("PATH", home.resolve("bin") + ":" + System.getenv("PATH"));
        env.put("LC_ALL", "C.UTF-8");
        // This build's CLI, as the other stack tests run it: bin/rockpool must not start a Maven build of its own.
        env.put("ROCKPOOL_CLASSPATH", Scripts.required("rockpool.cli.classpath"));
        return env;
    }

    /** A directory that looks like the repository to the examples: a link to each of its top-level entries. */
    private static Path linkedCheckout(Path work) throws IOException {
        try (Stream<Path> entries = Files.list(Scripts.root())) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(".") && !name.startsWith("target")) {
                    Files.createSymbolicLink(work.resolve(name), entry);
                }
            }
        }
        return work;
    }

    /** Removes the session's links to the repository, so that no cleanup can follow them. */
    private static void unlink(Path... dirs) throws IOException {
        for (Path dir : dirs) {
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path link : entries.filter(Files::isSymbolicLink).toList()) {
                    Files.delete(link);
                }
            }
        }
    }

    /** A cleanup step for try-with-resources. */
    private interface Unlinking extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /** The command's first line without its comment, for the report. */
    private static String firstLine(DocExamples.Step step) {
        return step.command().lines().findFirst().orElse("").replaceFirst("\\s+#\\s.*$", "");
    }
}
