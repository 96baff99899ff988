package dev.rockpool.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs every benchmark in one go and reports figures and ratios side by side: the JMH engine benchmarks (forked JVMs),
 * the cross-process follow latency, and the end-to-end connector and CLI runs. Started by {@code bin/rockpool-bench}.
 *
 * <pre>
 * BenchMain [--quick] [--json FILE] [--markdown FILE] [--chart FILE] [--cli PATH]
 *           [--only jmh,follow,e2e,cli,transforms,wan,start]
 *           [--jmh REGEX] [--messages N] [--profile DIR]
 *           [--baseline DIR] [--jdk JAVA_HOME]... [--rounds N]
 * </pre>
 * {@code start} (the CLI's start, {@link StartBench}; only when asked for) runs {@code --cli PATH} on each
 * {@code --jdk} (default: this JVM's), beside {@code DIR/bin/rockpool} of a {@code --baseline} checkout, for
 * {@code --rounds} interleaved rounds (default 10); its Markdown goes between its own markers.
 * {@code --profile DIR} records a JFR profile of every end-to-end case (broker, worker and connector share this JVM)
 * to {@code DIR/<case>.jfr}, and runs the JMH cases with JMH's JFR profiler into {@code DIR}.
 */
public final class BenchMain {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The results section of docs/BENCHMARKS.md lies between these markers. */
    private static final String BEGIN = "<!-- results:begin -->";
    private static final String END = "<!-- results:end -->";
    /** The CLI start section of docs/BENCHMARKS.md lies between these markers. */
    private static final String START_BEGIN = "<!-- start:begin -->";
    private static final String START_END = "<!-- start:end -->";

    private String[] args = new String[0];
    private Results lastResults;

    private boolean quick;
    private Path jsonFile;
    private Path markdownFile;
    private Path chartFile;
    private Path cli;
    private Set<String> only = Set.of("jmh", "follow", "e2e", "cli", "wan");
    private boolean jmhIncludeGiven;
    private String jmhInclude =
            "dev\\.rockpool\\.bench\\.jmh\\.(AppendBenchmark|WriterBenchmark|ReadBenchmark|JqTransformsBenchmark)\\.";
    private int messages = -1;
    private Path profileDir;
    private Path baseline;
    private final List<String> jdks = new ArrayList<>();
    private int rounds = 10;

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        BenchMain main = new BenchMain();
        main.args = args;
        try {
            main.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("rockpool-bench: " + e.getMessage());
            System.err.println("usage: rockpool-bench [--quick] [--json FILE] [--markdown FILE] [--chart FILE]"
                    + " [--cli PATH] [--only jmh,follow,e2e,cli,transforms,wan,start] [--jmh REGEX] [--messages N]"
                    + " [--profile DIR] [--baseline DIR] [--jdk JAVA_HOME]... [--rounds N]");
            System.exit(2);
        }
        System.exit(main.run());
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--json" -> jsonFile = Path.of(value(args, ++i, a));
                case "--markdown" -> markdownFile = Path.of(value(args, ++i, a));
                case "--chart" -> chartFile = Path.of(value(args, ++i, a));
                case "--cli" -> cli = Path.of(value(args, ++i, a));
                case "--only" -> only = Set.of(value(args, ++i, a).split(","));
                case "--jmh" -> {
                    jmhInclude = value(args, ++i, a);
                    jmhIncludeGiven = true;
                }
                case "--messages" -> messages = Integer.parseInt(value(args, ++i, a));
                case "--profile" -> profileDir = Path.of(value(args, ++i, a));
                case "--baseline" -> baseline = Path.of(value(args, ++i, a), "bin", "rockpool");
                case "--jdk" -> jdks.add(value(args, ++i, a));
                case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option: " + a);
            }
        }
        for (String part : only) {
            if (!Set.of("jmh", "follow", "e2e", "cli", "transforms", "wan", "start").contains(part)) {
                throw new IllegalArgumentException("--only " + part + ": expected jmh, follow, e2e, cli, transforms, "
                        + "wan or start");
            }
        }
        if (only.contains("transforms") && !only.contains("jmh") && !jmhIncludeGiven) {
            jmhInclude = "dev\\.rockpool\\.bench\\.jmh\\.JqTransformsBenchmark\\.";
        }
        if (messages < 0) {
            messages = quick ? 100_000 : 1_000_000;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /**
     * Writes the results as Markdown. If the file exists and holds the markers {@value #BEGIN} and {@value #END}
     * (as docs/BENCHMARKS.md does), only the text between them is replaced; otherwise the file is the table alone.
     */
    private void writeMarkdown(Report report, String command) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8)) {
            out.println("Run " + machineLine("started") + " of commit " + machineLine("commit") + ", "
                    + machineLine("minutes") + " minutes, on "
                    + machineLine("cores") + " cores (" + machineLine("cpu") + "), " + machineLine("jdk") + ", "
                    + machineLine("os") + ", " + machineLine("memory") + ". Command: `" + command + "`.");
            out.println();
            report.printMarkdown(out);
        }
        replaceSection(markdownFile, BEGIN, END, bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Writes the CLI start results between {@value #START_BEGIN} and {@value #START_END}. */
    private void writeStartMarkdown(StartBench start, String command) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8)) {
            out.println("Run " + machineLine("started") + " of commit " + machineLine("commit") + " on "
                    + machineLine("cores") + " cores (" + machineLine("cpu") + "), " + machineLine("os")
                    + ". Command: `" + command + "`.");
            out.println();
            start.printMarkdown(out);
        }
        replaceSection(markdownFile, START_BEGIN, START_END,
                bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Replaces the text between two markers of a file; a file without them becomes the text alone. */
    private static void replaceSection(Path file, String begin, String end, String section) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b >= 0 && e > b) {
            text = text.substring(0, b + begin.length()) + "\n" + section + text.substring(e);
        } else {
            text = section;
        }
        Files.writeString(file, text);
    }

    private String machineLine(String key) {
        return lastResults.machine.getOrDefault(key, "?");
    }

    private int run() throws Exception {
        Results results = new Results();
        lastResults = results;
        results.machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        results.machine.put("jdk", System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        results.machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        results.machine.put("cpu", cpuModel());
        results.machine.put("memory", (osMemory() >> 20) + " MiB");
        results.machine.put("mode", quick ? "quick" : "full");
        results.machine.put("started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        results.machine.put("commit", System.getenv().getOrDefault("ROCKPOOL_BENCH_COMMIT", "unknown"));
        long start = System.nanoTime();
        Path work = Files.createTempDirectory("rockpool-bench-");
        StartBench startBench = null;
        try {
            if (only.contains("jmh") || only.contains("transforms")) {
                runJmh(results);
            }
            if (only.contains("follow")) {
                runFollow(results, work);
            }
            if (!Collections.disjoint(only, Set.of("e2e", "cli", "transforms", "wan"))) {
                runEndToEnd(results, work);
            }
            if (only.contains("start")) {
                startBench = runStart(work.resolve("start"));
            }
        } finally {
            deleteTree(work);
        }
        results.machine.put("minutes", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 60e9));
        if (startBench == null || only.size() > 1) {
            report(results);
        }
        if (startBench != null && markdownFile != null) {
            writeStartMarkdown(startBench, command());
            System.out.println("markdown: " + markdownFile);
        }
        return 0;
    }

    /** The command as the user typed it (the launcher names it); run directly, the arguments are all we know. */
    private String command() {
        return System.getenv().getOrDefault("ROCKPOOL_BENCH_COMMAND", "BenchMain " + String.join(" ", args));
    }

    /** The table, and the JSON, Markdown and chart asked for. */
    private void report(Results results) throws IOException {
        Report report = new Report(results);
        report.printTable(System.out);
        if (jsonFile != null) {
            JSON.writeValue(jsonFile.toFile(), report.toJson(JSON));
            System.out.println("results: " + jsonFile);
        }
        if (markdownFile != null) {
            writeMarkdown(report, command());
            System.out.println("markdown: " + markdownFile);
        }
        if (chartFile != null) {
            Charts.draw(results, chartFile);
            System.out.println("chart: " + chartFile);
        }
    }

    private StartBench runStart(Path work) throws Exception {
        if (cli == null) {
            throw new IllegalArgumentException("--only start needs --cli PATH");
        }
        StartBench bench = new StartBench(cli, baseline, rounds, quick ? 200_000 : 1_000_000, work);
        for (Path jdk : StartBench.jdks(jdks)) {
            bench.run(jdk);
        }
        return bench;
    }

    private void runJmh(Results results) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(jmhInclude)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL);
        if (quick) {
            options.forks(1).warmupIterations(2).warmupTime(TimeValue.milliseconds(400))
                    .measurementIterations(2).measurementTime(TimeValue.milliseconds(600));
        } else {
            options.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(2));
        }
        if (profileDir != null) {
            options.addProfiler("jfr", "dir=" + profileDir.toAbsolutePath() + ";configName=profile");
        }
        Collection<RunResult> runs = new Runner(options.build()).run();
        for (RunResult r : runs) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            String size = r.getParams().getParam("size");
            results.jmh.put(name + "@" + size, new double[] {r.getPrimaryResult().getScore(),
                    r.getPrimaryResult().getScoreError()});
        }
    }

    private void runFollow(Results results, Path work) throws Exception {
        int count = quick ? 4_000 : 20_000;
        for (String strategy : List.of("backoff", "spin")) {
            System.out.println("# follow latency, " + strategy + ", " + count + " messages at random gaps of"
                    + " 0-1000 us");
            FollowLatency.Result r = FollowLatency.run(work, strategy, count, 1000);
            System.out.println("#   " + r);
            results.follow.put(strategy, r);
        }
    }

    private void runEndToEnd(Results results, Path work) throws Exception {
        try (EndToEnd e2e = new EndToEnd(work.resolve("e2e"), messages)) {
            System.out.println("# end to end: " + messages + " messages of " + EndToEnd.SIZE + " bytes");
            e2e.start();
            List<EndToEnd.Figure> figures = new ArrayList<>();
            if (only.contains("e2e")) {
                e2e.warmUp();
                figures.add(step("raw-producer", e2e::rawProducer));
                figures.add(step("rockpool-source", e2e::rockpoolSource));
                figures.add(step("rockpool-source-noheaders", e2e::rockpoolSourceWithoutHeaders));
                figures.add(step("raw-producer-bigbatch", e2e::rawProducerLargeBatches));
                figures.add(step("rockpool-source-bigbatch", e2e::rockpoolSourceLargeBatches));
                figures.add(step("rockpool-source-recommended", e2e::rockpoolSourceRecommended));
                figures.add(step("filestream-source", e2e::fileStreamSource));
                figures.add(step("filestream-source-jq", e2e::fileStreamSourceWithJqFilter));
                figures.add(step("raw-consumer", e2e::rawConsumer));
                figures.add(step("rockpool-sink", e2e::rockpoolSink));
                figures.add(step("rockpool-sink-bigpoll", e2e::rockpoolSinkLargePolls));
                figures.add(step("filestream-sink", e2e::fileStreamSink));
            }
            if (only.contains("transforms") && !only.contains("e2e")) {
                e2e.warmUp();
                figures.add(step("filestream-source", e2e::fileStreamSource));
                figures.add(step("filestream-source-jq", e2e::fileStreamSourceWithJqFilter));
            }
            if (only.contains("cli")) {
                figures.add(step("engine-parse-append", e2e::engineParseAppend));
                if (cli != null) {
                    figures.add(step("cli-feed", () -> e2e.cliFeed(cli)));
                } else {
                    System.out.println("# cli feed skipped: no --cli PATH");
                }
            }
            for (EndToEnd.Figure f : figures) {
                if (f != null) {
                    results.e2e.put(f.name(), f);
                }
            }
            if (only.contains("wan")) {
                runWan(results, e2e);
            }
        }
    }

    /**
     * The WAN edge cases: journald-like entries shipped with each compression codec. Every codec runs twice and the
     * second round counts, so none of them pays for the JIT (or for loading a native codec) in its figures.
     */
    private void runWan(BenchMain.Results results, EndToEnd e2e) throws Exception {
        int count = quick ? 50_000 : 200_000;
        System.out.println("# WAN edge: " + count + " journald-like entries per codec");
        WanCompression wan = new WanCompression(e2e, count);
        wan.fillPool();
        for (int round = 1; round <= 2; round++) {
            for (String codec : WanCompression.CODECS) {
                try {
                    WanCompression.Result r = wan.run(codec, round);
                    System.out.printf(Locale.ROOT, "#   round %d %-5s %10.0f msg/s  wire %7.1f B/msg  topic %7.1f B/msg"
                            + "  (JSON %4.0f B)%n", round, codec, r.rate(), r.wireBytes(), r.topicBytes(),
                            r.jsonBytes());
                    if (round == 2) {
                        results.wan.put(codec, r);
                    }
                } catch (Exception | Error e) {
                    System.out.println("#   FAILED: " + codec + ": " + e);
                    e.printStackTrace(System.out);
                }
            }
        }
        runWanLive(results, wan);
    }

    /** Live traffic at a steady rate, caught up: each codec with Kafka's default linger.ms and with 500 ms. */
    private void runWanLive(BenchMain.Results results, WanCompression wan) {
        int rate = 2_000;
        int count = quick ? 4_000 : 20_000;
        System.out.println("# WAN edge, live: " + count + " entries at " + rate + "/s per case");
        for (int linger : new int[] {5, 500}) {
            for (String codec : WanCompression.CODECS) {
                try {
                    WanCompression.Live r = wan.live(codec, linger, rate, count);
                    System.out.printf(Locale.ROOT, "#   linger.ms=%-3d %-5s wire %7.1f B/msg  %6.1f records/batch%n",
                            linger, codec, r.wireBytes(), r.recordsPerBatch());
                    results.wanLive.add(r);
                } catch (Exception | Error e) {
                    System.out.println("#   FAILED: live " + codec + " linger.ms=" + linger + ": " + e);
                    e.printStackTrace(System.out);
                }
            }
        }
    }

    /** Runs one case; a case that fails is reported and leaves a gap in the table instead of ending the run. */
    private EndToEnd.Figure step(String id, Step step) {
        Recording recording = null;
        if (profileDir != null) {
            try {
                recording = new Recording(Configuration.getConfiguration("profile"));
                recording.setDestination(Files.createDirectories(profileDir).resolve(id + ".jfr"));
                recording.start();
            } catch (IOException | ParseException e) {
                System.out.println("#   no profile: " + e);
            }
        }
        try {
            EndToEnd.Figure f = step.run();
            System.out.printf(Locale.ROOT, "#   %-22s %12.0f msg/s  (wall %.2f s)%n", f.name(), f.rate(),
                    f.wallSeconds());
            return f;
        } catch (Exception | Error e) {
            System.out.println("#   FAILED: " + e);
            e.printStackTrace(System.out);
            return null;
        } finally {
            if (recording != null) {
                recording.stop();
                recording.close();
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        EndToEnd.Figure run() throws Exception;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux: the architecture in "os" is all we report
        }
        return System.getProperty("os.arch");
    }

    private static long osMemory() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return 0;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Everything measured in one run. */
    static final class Results {
        final Map<String, String> machine = new LinkedHashMap<>();
        /** "Class.method@size" → {score, error} in ops/s. */
        final Map<String, double[]> jmh = new LinkedHashMap<>();
        final Map<String, FollowLatency.Result> follow = new LinkedHashMap<>();
        final Map<String, EndToEnd.Figure> e2e = new LinkedHashMap<>();
        /** Codec → the WAN edge figures of a backlog. */
        final Map<String, WanCompression.Result> wan = new LinkedHashMap<>();
        /** The WAN edge figures of live traffic. */
        final List<WanCompression.Live> wanLive = new ArrayList<>();

        /** A JMH score, or NaN if that case did not run. */
        double score(String key) {
            double[] v = jmh.get(key);
            return v == null ? Double.NaN : v[0];
        }

        double rate(String name) {
            EndToEnd.Figure f = e2e.get(name);
            return f == null ? Double.NaN : f.rate();
        }

        ObjectNode machineJson(ObjectMapper mapper) {
            ObjectNode node = mapper.createObjectNode();
            machine.forEach(node::put);
            return node;
        }

        ArrayNode jmhJson(ObjectMapper mapper) {
            ArrayNode array = mapper.createArrayNode();
            jmh.forEach((k, v) -> array.addObject().put("case", k).put("opsPerSecond", v[0]).put("error", v[1]));
            return array;
        }
    }
}
