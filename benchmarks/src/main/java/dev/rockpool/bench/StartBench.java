package dev.rockpool.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CLI's start ({@code bin/rockpool-bench --only start}): one-message {@code feed}, {@code fetch}, {@code pool
 * info} and {@code follow --one} on a pool that holds a match, each a whole {@code bin/rockpool} process, against the
 * JVM floor, {@code java} printing <code>{}</code> from a class of its own on the same JDK. Every case runs once per
 * round, the rounds interleaved, so the load of a shared machine falls on all cases alike; the figure is the median of
 * the rounds. Beside each command: the same without the start archive ({@code ROCKPOOL_CDS=off}) and, given
 * {@code --baseline DIR}, that checkout's launcher (the CLI before a change). On a JDK with an AOT cache (JDK 25), the
 * archive against the AOT cache made from the same training, both run by {@code java} directly. And {@code feed -f}
 * throughput of a file of JSON lines, the launcher against the baseline.
 */
final class StartBench {
    /** One measured command line: its row, its column, the process and the environment it adds. */
    record Case(String row, String column, List<String> command, Map<String, String> env) {
    }

    /** The timings of one JDK: rows of the table by column, in ms; the feed -f rates in messages per second. */
    record JdkResult(String jdk, Map<String, Map<String, double[]>> starts, Map<String, Double> feedRates) {
    }

    static final String FLOOR = "java printing {} (the floor)";
    private static final String NOW = "now";
    private static final String NO_ARCHIVE = "no archive";
    private static final String BEFORE = "before";

    private final Path launcher;
    private final Path baseline;
    private final int rounds;
    private final int feedLines;
    private final Path work;
    private final Path pools;
    private final List<JdkResult> results = new ArrayList<>();

    /**
     * @param launcher  this checkout's {@code bin/rockpool}
     * @param baseline  another checkout's {@code bin/rockpool} (built), or null
     * @param rounds    rounds of every case
     * @param feedLines lines of the {@code feed -f} case (0: none)
     */
    StartBench(Path launcher, Path baseline, int rounds, int feedLines, Path work) {
        this.launcher = launcher;
        this.baseline = baseline;
        this.rounds = rounds;
        this.feedLines = feedLines;
        this.work = work;
        this.pools = work.resolve("pools");
    }

    /** Measures every case on one JDK (its home); the JDK's results are kept for the report. */
    void run(Path javaHome) throws IOException, InterruptedException {
        String jdk = javaVersion(javaHome);
        System.out.println("# CLI start on " + jdk + ": " + rounds + " interleaved rounds");
        Files.createDirectories(pools);
        Map<String, String> env = Map.of("JAVA_HOME", javaHome.toString());
        for (Path l : launchers()) {
            // Builds what is not built yet, and makes each launcher's start archive, before anything is timed.
            exec(List.of(l.toString(), "version"), env, 600);
        }
        exec(List.of(launcher.toString(), "--dir", pools.toString(), "feed", "b", "--create", "{\"a\":1}"), env, 60);
        List<Case> cases = cases(javaHome);
        for (Case c : cases) {
            exec(c.command(), c.env(), 120);
        }
        Map<String, Map<String, List<Double>>> times = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < cases.size(); k++) {
                // A different case leads each round: none always runs first, right after a quiet spell.
                Case c = cases.get((k + r) % cases.size());
                long start = System.nanoTime();
                exec(c.command(), c.env(), 120);
                times.computeIfAbsent(c.row(), x -> new LinkedHashMap<>())
                        .computeIfAbsent(c.column(), x -> new ArrayList<>()).add((System.nanoTime() - start) / 1e6);
            }
        }
        Map<String, Map<String, double[]>> starts = new LinkedHashMap<>();
        times.forEach((row, columns) -> {
            Map<String, double[]> stats = new LinkedHashMap<>();
            columns.forEach((column, ms) -> stats.put(column, new double[] {median(ms), min(ms)}));
            starts.put(row, stats);
        });
        JdkResult result = new JdkResult(jdk, starts, feedRates(env));
        results.add(result);
        printTable(result, System.out);
    }

    private List<Path> launchers() {
        return baseline == null ? List.of(launcher) : List.of(launcher, baseline);
    }

    private List<Case> cases(Path javaHome) throws IOException, InterruptedException {
        List<Case> cases = new ArrayList<>();
        Path java = javaHome.resolve("bin/java");
        Map<String, String> env = Map.of("JAVA_HOME", javaHome.toString());
        Map<String, String> noArchive = Map.of("JAVA_HOME", javaHome.toString(), "ROCKPOOL_CDS", "off");
        cases.add(new Case(FLOOR, NOW, List.of(java.toString(), "-cp", classes(), Floor.class.getName()), env));
        for (Map.Entry<String, List<String>> command : commands().entrySet()) {
            List<String> args = new ArrayList<>(List.of("--dir", pools.toString()));
            args.addAll(command.getValue());
            cases.add(new Case(command.getKey(), NOW, with(launcher, args), env));
            cases.add(new Case(command.getKey(), NO_ARCHIVE, with(launcher, args), noArchive));
            if (baseline != null) {
                cases.add(new Case(command.getKey(), BEFORE, with(baseline, args), env));
            }
        }
        cases.addAll(new AotCases(launcher, java, work, pools).cases());
        return cases;
    }

    /** The measured command lines, by the name the report gives them. */
    static Map<String, List<String>> commands() {
        Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("feed one message", List.of("feed", "b", "{\"a\":1}"));
        commands.put("fetch SEQ", List.of("fetch", "b", "1"));
        commands.put("pool info", List.of("pool", "info", "b"));
        commands.put("follow --one (a match is there)", List.of("follow", "b", "--one", "--tail", "1"));
        commands.put("follow --one --where (jq)", List.of("follow", "b", "--one", "--tail", "1", "--where",
                ".data.a == 1"));
        return commands;
    }

    private static List<String> with(Path launcher, List<String> args) {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(args);
        return command;
    }

    /** {@code feed -f} of the same file, this launcher and the baseline alternately, three times each. */
    private Map<String, Double> feedRates(Map<String, String> env) throws IOException, InterruptedException {
        Map<String, Double> rates = new LinkedHashMap<>();
        if (feedLines == 0) {
            return rates;
        }
        Path lines = work.resolve("lines.jsonl");
        if (!Files.exists(lines)) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(lines), 1 << 16)) {
                for (int i = 0; i < feedLines; i++) {
                    out.write(Payloads.json(128, i));
                    out.write('\n');
                }
            }
        }
        Map<Path, List<Double>> runs = new LinkedHashMap<>();
        for (int r = 0; r < 3; r++) {
            for (Path l : launchers()) {
                String pool = "feed" + r + (l.equals(launcher) ? "n" : "b");
                long start = System.nanoTime();
                exec(List.of(l.toString(), "--dir", pools.toString(), "feed", pool, "--create", "--create-size",
                        "512M", "-f", lines.toString()), env, 600);
                runs.computeIfAbsent(l, x -> new ArrayList<>()).add(feedLines / ((System.nanoTime() - start) / 1e9));
                Files.delete(pools.resolve(pool + ".pool"));
            }
        }
        rates.put(NOW, median(runs.get(launcher)));
        if (baseline != null) {
            rates.put(BEFORE, median(runs.get(baseline)));
        }
        return rates;
    }

    // ------------------------------------------------------------------ report

    /** Every JDK's table, as Markdown. */
    void printMarkdown(PrintStream out) {
        for (JdkResult r : results) {
            printTable(r, out);
            out.println();
        }
    }

    private void printTable(JdkResult r, PrintStream out) {
        double floor = r.starts().get(FLOOR).get(NOW)[0];
        out.printf(Locale.ROOT, "**%s**: %d rounds, median wall time of each whole process (min in brackets); the"
                + " floor is %.1f ms.%n%n", r.jdk(), rounds, floor);
        out.println("| command | now | × floor | no archive | × floor | before | × floor | before / now |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        r.starts().forEach((row, columns) -> {
            if (row.equals(FLOOR) || row.startsWith(AotCases.ROW)) {
                return;
            }
            StringBuilder line = new StringBuilder("| ").append(row);
            for (String column : List.of(NOW, NO_ARCHIVE, BEFORE)) {
                double[] t = columns.get(column);
                line.append(t == null ? " | | " : String.format(Locale.ROOT, " | %.1f (%.1f) | %.2f", t[0], t[1],
                        t[0] / floor));
            }
            double[] before = columns.get(BEFORE);
            line.append(before == null ? " | |" : String.format(Locale.ROOT, " | %.1f |",
                    before[0] / columns.get(NOW)[0]));
            out.println(line);
        });
        AotCases.printTable(r.starts(), floor, out);
        if (!r.feedRates().isEmpty()) {
            out.printf(Locale.ROOT, "%n`feed -f` of %,d lines of 128 bytes (median of 3): now %.0f msg/s", feedLines,
                    r.feedRates().get(NOW));
            Double before = r.feedRates().get(BEFORE);
            if (before != null) {
                out.printf(Locale.ROOT, ", before %.0f msg/s, now / before %.2f", before, r.feedRates().get(NOW)
                        / before);
            }
            out.println(".");
        }
    }

    // ------------------------------------------------------------------ plumbing

    /** Runs a command to its end, output discarded; it must succeed. */
    static void exec(List<String> command, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("ROCKPOOL_DIR");
        pb.environment().remove("ROCKPOOL_CDS");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("did not end in " + timeoutSeconds + " s: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("exit " + p.exitValue() + ": " + command);
        }
    }

    /** This benchmark's classes, where {@link Floor} is. */
    static String classes() {
        return Path.of(Floor.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    }

    private static String javaVersion(Path javaHome) throws IOException {
        for (String line : Files.readAllLines(javaHome.resolve("release"))) {
            if (line.startsWith("JAVA_RUNTIME_VERSION=")) {
                return "JDK " + line.substring(line.indexOf('=') + 1).replace("\"", "");
            }
        }
        return javaHome.toString();
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** The arguments of a JDK's {@code --jdk} list, or the JDK running this. */
    static List<Path> jdks(List<String> given) {
        if (given.isEmpty()) {
            return List.of(Path.of(System.getProperty("java.home")));
        }
        return Arrays.stream(given.toArray(new String[0])).map(Path::of).toList();
    }
}
