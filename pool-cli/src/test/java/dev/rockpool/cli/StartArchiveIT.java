package dev.rockpool.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bin/rockpool}'s start archive (docs/CLI.md "Start archive"), with the launcher run as a process from a copy of
 * the built CLI (its jar and libraries, as {@code mvn package} left them): made on the first run, used by the next
 * ones, commands printing the same with and without it; remade when the jars change; a changed, truncated or
 * unreadable archive or a read-only directory never stops a command; several processes starting at once leave one
 * archive, made whole.
 */
class StartArchiveIT {
    /** The commands compared with and without the archive: reads, mistakes and help (their output never varies). */
    private static final List<List<String>> READS = List.of(List.of("fetch", "p", "1"),
            List.of("fetch", "p", "2", "--format", "pretty"), List.of("pool", "info", "p"),
            List.of("pool", "info", "p", "--json"), List.of("pool", "list"), List.of("follow", "p", "--one", "--tail",
                    "1"), List.of("follow", "p", "--no-follow", "--where", ".data.n > 1"), List.of("doctor", "p"),
            List.of("version"), List.of("fetch", "missing", "1"), List.of("fetch", "p"), List.of("feed", "p",
                    "{not json"), List.of("feed", "--help"), List.of("serv"), List.of("serve", "check"));

    @TempDir
    Path copy;
    @TempDir
    Path pools;
    private Path start;

    @BeforeEach
    void copyTheBuiltCli() throws IOException {
        Path root = Paths.get(required("rockpool.root"));
        Path target = copy.resolve("pool-cli/target");
        Files.createDirectories(target);
        Path jar = Paths.get(required("rockpool.cli.jar"));
        Files.copy(jar, target.resolve(jar.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        // lib/ and lib/remote/ (what only serve and remote pools use), as the build left them.
        Path lib = Paths.get(required("rockpool.cli.lib"));
        try (Stream<Path> libs = Files.walk(lib)) {
            for (Path from : libs.collect(Collectors.toList())) {
                Files.copy(from, target.resolve("lib").resolve(lib.relativize(from).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Files.createDirectories(copy.resolve("bin/lib"));
        for (String script : List.of("bin/rockpool", "bin/lib/start-archive.bash", "bin/lib/maven-build.bash")) {
            Files.copy(root.resolve(script), copy.resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
        }
        start = target.resolve("start");
    }

    @Test
    void theFirstRunMakesTheArchiveAndEveryCommandPrintsTheSameWithAndWithout() throws IOException {
        Cli.Result first = rockpool(Map.of(), "pool", "create", "p", "--size", "1M");
        assertEquals(0, first.exit(), first::toString);
        assertEquals("", first.err(), "no word about the archive when stderr is not a terminal");
        assertArchiveMade();
        assertEquals(0, rockpool(Map.of(), "feed", "p", "{\"n\":1}").exit());
        assertEquals(0, rockpool(Map.of("ROCKPOOL_CDS", "off"), "feed", "p", "{\"n\":2}").exit());
        for (List<String> read : READS) {
            String[] args = read.toArray(new String[0]);
            Cli.Result with = rockpool(Map.of(), args);
            Cli.Result without = rockpool(Map.of("ROCKPOOL_CDS", "off"), args);
            assertEquals(withoutAges(without.toString()), withoutAges(with.toString()), "rockpool " + read);
        }
        Cli.Result fed = rockpool(Map.of(), "feed", "p", "{\"n\":3}", "-t", "x");
        Cli.Result fedWithout = rockpool(Map.of("ROCKPOOL_CDS", "off"), "feed", "p", "{\"n\":4}", "-t", "x");
        assertEquals(withoutTime(fedWithout.out()).replace("\"seq\":4", "\"seq\":3"), withoutTime(fed.out()));
        Path loads = pools.resolve("class-load.log");
        rockpool(Map.of("JAVA_OPTS", "-Xlog:class+load:file=" + loads), "fetch", "p", "1");
        assertTrue(Files.readString(loads).contains("dev.rockpool.cli.QuickParser source: shared objects file"),
                "the CLI's classes come from the archive");
        List<String> jars = List.of(Files.readAllLines(startFile("key")).get(3).split(":"));
        assertTrue(jars.size() > 1 && jars.stream().noneMatch(j -> j.contains("/lib/remote/")),
                "made for the class path before the server's and client's jars, which runs append: " + jars);
    }

    @Test
    void newJarsMakeANewArchive() throws IOException, InterruptedException {
        assertEquals(0, rockpool(Map.of(), "version").exit());
        FileTime made = Files.getLastModifiedTime(startFile("key"));
        Path engine;
        try (Stream<Path> libs = Files.list(copy.resolve("pool-cli/target/lib"))) {
            engine = libs.filter(p -> p.getFileName().toString().startsWith("pool-engine")).findFirst().orElseThrow();
        }
        Thread.sleep(50);
        Files.setLastModifiedTime(engine, FileTime.fromMillis(System.currentTimeMillis()));
        assertWorks(rockpool(Map.of(), "version"));
        assertTrue(Files.getLastModifiedTime(startFile("key")).compareTo(made) > 0, "made again");
        assertArchiveMade();
    }

    @Test
    void aChangedTruncatedOrForeignArchiveIsNeverUsed() throws IOException {
        assertEquals(0, rockpool(Map.of(), "pool", "create", "p", "--size", "1M").exit());
        Path archive = startFile("jsa");
        assertTrue(archive.toFile().setWritable(true));
        // Truncated (a JVM handed it would crash): the command runs, and the archive is made again.
        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
            f.setLength(f.length() / 3);
        }
        assertWorks(rockpool(Map.of(), "pool", "info", "p"));
        assertArchiveMade();
        // Overwritten with something else.
        assertTrue(archive.toFile().setWritable(true));
        Files.write(archive, new byte[64 * 1024]);
        assertWorks(rockpool(Map.of(), "pool", "info", "p"));
        assertArchiveMade();
        // A key for another JDK: the archive is not this JDK's.
        Path key = startFile("key");
        List<String> lines = Files.readAllLines(key);
        lines.set(2, "JAVA_RUNTIME_VERSION=\"0.0.0\"");
        Files.write(key, lines);
        assertWorks(rockpool(Map.of(), "pool", "info", "p"));
        assertArchiveMade();
    }

    @Test
    void anUnreadableArchiveOrAReadOnlyDirectoryOnlyCostsTheArchive() throws IOException, InterruptedException {
        assumeTrue(canRunAsNobody(), "needs root and setpriv to run the launcher as another user");
        for (Path dir : List.of(copy, pools)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        assertEquals(0, rockpool(Map.of(), "pool", "create", "p", "--size", "1M").exit());
        Files.setPosixFilePermissions(pools.resolve("p.pool"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(startFile("jsa"), PosixFilePermissions.fromString("---------"));
        assertWorks(asNobody("pool", "info", "p"));
        // The directory is root's: nobody cannot make an archive either, and runs without.
        Files.delete(startFile("jsa"));
        Files.delete(startFile("key"));
        assertWorks(asNobody("pool", "info", "p"));
        assertEquals(List.of("log"), startFiles());
    }

    @Test
    void processesStartingTogetherLeaveOneWholeArchive() throws Exception {
        assertEquals(0, rockpool(Map.of("ROCKPOOL_CDS", "off"), "pool", "create", "p", "--size", "1M").exit());
        List<Process> processes = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path out = pools.resolve("out" + i);
            outs.add(out);
            processes.add(launcher(Map.of(), "feed", "p", "{\"n\":" + i + "}").redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        for (Process p : processes) {
            assertTrue(p.waitFor(2, TimeUnit.MINUTES));
            assertEquals(0, p.exitValue(), "every process works, with or without the archive");
        }
        for (Path out : outs) {
            assertTrue(Files.readString(out).startsWith("{\"seq\":"), Files.readString(out));
        }
        assertArchiveMade();
        assertWorks(rockpool(Map.of(), "fetch", "p", "4"));
        assertEquals(List.of("jsa", "key", "log"), startFiles(), "the next run uses it, makes no other");
    }

    @Test
    void eachJdkHasItsOwnArchive() throws IOException {
        Path other = otherJdk();
        assumeTrue(other != null, "needs a second JDK under /usr/lib/jvm (e.g. Temurin 25)");
        assertWorks(rockpool(Map.of(), "version"));
        Cli.Result r = rockpool(Map.of("JAVA_HOME", other.toString()), "version");
        assertWorks(r);
        assertTrue(r.out().contains("\"java\":\"" + javaVersion(other)), r::toString);
        List<String> keys;
        try (Stream<Path> files = Files.list(start)) {
            keys = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".key")).sorted()
                    .collect(Collectors.toList());
        }
        assertEquals(2, keys.size(), "one archive per JDK: " + keys);
        for (String key : keys) {
            assertEquals("jsa", Files.readAllLines(start.resolve(key)).get(0), key);
        }
        assertWorks(rockpool(Map.of(), "version"));
        assertWorks(rockpool(Map.of("JAVA_HOME", other.toString()), "version"));
    }

    @Test
    void offMeansNoArchiveAtAll() {
        assertWorks(rockpool(Map.of("ROCKPOOL_CDS", "off"), "version"));
        assertFalse(Files.exists(start));
    }

    // ------------------------------------------------------------------ plumbing

    private Cli.Result rockpool(Map<String, String> env, String... args) {
        return Cli.exec(launcher(env, args), new byte[0]);
    }

    private ProcessBuilder launcher(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(copy.resolve("bin/rockpool").toString(), "--dir",
                pools.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(pools.toFile());
        pb.environment().remove("ROCKPOOL_CLASSPATH");
        pb.environment().remove("ROCKPOOL_CDS");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().putAll(env);
        return pb;
    }

    private Cli.Result asNobody(String... args) {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup",
                "--clear-groups", copy.resolve("bin/rockpool").toString(), "--dir", pools.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(pools.toFile());
        pb.environment().remove("ROCKPOOL_CLASSPATH");
        pb.environment().put("HOME", pools.toString());
        return Cli.exec(pb, new byte[0]);
    }

    /** A JDK under /usr/lib/jvm of another version than the one on the PATH, or null. */
    private static Path otherJdk() throws IOException {
        Path jvms = Paths.get("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        String ours = javaVersion(Paths.get(System.getProperty("java.home")));
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> Files.isRegularFile(h.resolve("release")) && Files.isExecutable(h.resolve(
                    "bin/java"))).filter(h -> !javaVersion(h).equals(ours)).findFirst().orElse(null);
        }
    }

    /** {@code JAVA_VERSION} of a JDK's release file. */
    private static String javaVersion(Path home) {
        try {
            return Files.readAllLines(home.resolve("release")).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                    .map(l -> l.substring(l.indexOf('=') + 1).replace("\"", "")).findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean canRunAsNobody() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "true")
                .start();
        return p.waitFor() == 0 && "root".equals(System.getProperty("user.name"));
    }

    private static void assertWorks(Cli.Result r) {
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    /**
     * What the start directory holds, by kind (the archive, its key, the training's log); names are the java command's.
     * Anything left over from making the archive would show here.
     */
    private List<String> startFiles() throws IOException {
        try (Stream<Path> files = Files.list(start)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".lock"))
                    .map(n -> n.substring(n.indexOf('.') + 1)).sorted().collect(Collectors.toList());
        }
    }

    private Path startFile(String kind) throws IOException {
        try (Stream<Path> files = Files.list(start)) {
            return files.filter(p -> p.getFileName().toString().endsWith("." + kind)).findFirst().orElseThrow();
        }
    }

    /** One archive and its key, the archive not changed since the key was written: what the launcher will use. */
    private void assertArchiveMade() throws IOException {
        assertEquals(List.of("jsa", "key", "log"), startFiles(), "one archive, no leftovers");
        assertEquals("jsa", Files.readAllLines(startFile("key")).get(0));
        assertTrue(Files.getLastModifiedTime(startFile("jsa")).compareTo(
                Files.getLastModifiedTime(startFile("key"))) <= 0);
    }

    /** pool info --json says how old the messages are as it runs: in milliseconds, which vary from run to run. */
    private static String withoutAges(String output) {
        return output.replaceAll("_age_ms\":\\d+", "_age_ms\":0");
    }

    private static String withoutTime(String receipts) {
        return receipts.replaceAll("\"time\":\"[^\"]*\"", "\"time\":\"T\"");
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assumeTrue(value != null, property + " is set by the failsafe configuration in pool-cli/pom.xml");
        return value;
    }
}
