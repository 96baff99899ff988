package dev.rockpool.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * On a JDK that has an AOT cache (JDK 25, {@code -XX:AOTCacheOutput}): {@code fetch} run by {@code java} directly with
 * the launcher's flags and either a dynamic class-data-sharing archive (what {@code bin/rockpool} makes) or an AOT
 * cache, both made here from the same training run ({@code dev.rockpool.cli.StartTraining}). Why the launcher makes
 * the archive on every JDK: see the table this prints.
 */
final class AotCases {
    static final String ROW = "fetch SEQ, java directly, ";
    private static final String ARCHIVE = "dynamic CDS archive";
    private static final String AOT = "AOT cache";

    private final Path java;
    private final Path work;
    private final Path pools;
    private final String classpath;

    AotCases(Path launcher, Path java, Path work, Path pools) throws IOException {
        this.java = java;
        this.work = work;
        this.pools = pools;
        this.classpath = classpath(launcher.toAbsolutePath().getParent().getParent().resolve("pool-cli/target"));
    }

    /** The two cases, or none on a JDK without an AOT cache. */
    List<StartBench.Case> cases() throws IOException, InterruptedException {
        if (!hasAotCache()) {
            return List.of();
        }
        Path archive = work.resolve("direct.jsa");
        Path cache = work.resolve("direct.aot");
        Files.deleteIfExists(archive);
        Files.deleteIfExists(cache);
        StartBench.exec(List.of(java.toString(), "-XX:ArchiveClassesAtExit=" + archive, "-cp", classpath,
                "dev.rockpool.cli.StartTraining"), Map.of(), 300);
        StartBench.exec(List.of(java.toString(), "-XX:AOTCacheOutput=" + cache, "-cp", classpath,
                "dev.rockpool.cli.StartTraining"), Map.of(), 300);
        List<StartBench.Case> cases = new ArrayList<>();
        cases.add(fetch(ARCHIVE, "-XX:SharedArchiveFile=" + archive));
        cases.add(fetch(AOT, "-XX:AOTCache=" + cache));
        return cases;
    }

    private StartBench.Case fetch(String column, String option) {
        return new StartBench.Case(ROW + column, "now", List.of(java.toString(), option, "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData", "-Drockpool.tty=", "-cp", classpath, "dev.rockpool.cli.Rockpool", "--dir",
                pools.toString(), "fetch", "b", "1"), Map.of());
    }

    private boolean hasAotCache() throws InterruptedException {
        try {
            StartBench.exec(List.of(java.toString(), "-XX:AOTMode=off", "-version"), Map.of(), 60);
            return true;
        } catch (IllegalStateException | IOException e) {
            return false;
        }
    }

    /** The two rows, when they were measured. */
    static void printTable(Map<String, Map<String, double[]>> starts, double floor, PrintStream out) {
        double[] archive = starts.getOrDefault(ROW + ARCHIVE, Map.of()).get("now");
        double[] cache = starts.getOrDefault(ROW + AOT, Map.of()).get("now");
        if (archive == null || cache == null) {
            return;
        }
        out.println();
        out.println("| fetch SEQ, `java` run directly (no launcher) | median ms (min) | × floor |");
        out.println("|---|---:|---:|");
        out.printf(Locale.ROOT, "| with the dynamic CDS archive | %.1f (%.1f) | %.2f |%n", archive[0], archive[1],
                archive[0] / floor);
        out.printf(Locale.ROOT, "| with the AOT cache | %.1f (%.1f) | %.2f |%n", cache[0], cache[1],
                cache[0] / floor);
    }

    /** The launcher's class path: the CLI jar, then its libraries in name order. */
    private static String classpath(Path target) throws IOException {
        List<String> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(target)) {
            files.filter(p -> p.getFileName().toString().matches("pool-cli-.*\\.jar")
                    && !p.getFileName().toString().matches(".*-(tests|sources|javadoc)\\.jar"))
                    .forEach(p -> jars.add(p.toString()));
        }
        try (Stream<Path> files = Files.list(target.resolve("lib"))) {
            files.map(Path::toString).filter(p -> p.endsWith(".jar")).sorted().forEach(jars::add);
        }
        return String.join(":", jars);
    }
}
