package dev.rockpool.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/rockpool}'s own build, as on a fresh clone: in a copy of the sources it needs, the first run builds the
 * CLI with Maven and says what it is doing as it goes (module by module), without escape codes when stderr is not a
 * terminal; a source that does not compile is a clear error pointing at the build's log; the next run is a plain
 * {@code java} start with nothing on stderr.
 */
class LauncherBuildIT {
    @TempDir
    Path copy;

    @Test
    void firstRunBuildsWithReadableProgressThenRunsWithoutBuilding() throws IOException {
        copySources();
        Path engineSource = copy.resolve("pool-engine/src/main/java/dev/rockpool/pool/PoolDirectory.java");
        String good = Files.readString(engineSource);

        Files.writeString(engineSource, good + "\nnot java\n");
        Scripts.Result broken = version();
        assertEquals(1, broken.exitCode(), broken::describe);
        assertTrue(broken.stderr().contains("[ERROR]") && broken.stderr().contains("PoolDirectory.java"),
                () -> "names the file that does not compile: " + broken.describe());
        assertTrue(broken.stderr().contains("its whole output is in " + copy.resolve("pool-cli/target/build.log")),
                broken::describe);
        assertNoEscapeCodes(broken);

        Files.writeString(engineSource, good);
        Scripts.Result first = version();
        assertEquals(0, first.exitCode(), first::describe);
        assertTrue(first.stdout().contains("\"name\":\"rockpool\""), first::describe);
        for (String progress : List.of("rockpool: building the CLI (not built yet)", "rockpool: [2/5] rockpool pool "
                + "engine", "rockpool:       compiling", "rockpool: [5/5] rockpool CLI", "rockpool: built")) {
            assertTrue(first.stderr().contains(progress), () -> "shows '" + progress + "': " + first.describe());
        }
        assertNoEscapeCodes(first);
        assertTrue(Files.size(copy.resolve("pool-cli/target/build.log")) > 0, "the whole output is kept");

        Scripts.Result again = version();
        assertEquals(0, again.exitCode(), again::describe);
        assertEquals("", again.stderr(), "no build, nothing on stderr: " + again.describe());
    }

    private Scripts.Result version() {
        Map<String, String> env = new HashMap<>();
        // Not this build's CLI: the copy's launcher must find no build and make its own.
        env.put("ROCKPOOL_CLASSPATH", "");
        return Scripts.run(List.of(copy.resolve("bin/rockpool").toString(), "version"), env, null);
    }

    private static void assertNoEscapeCodes(Scripts.Result result) {
        assertFalse(result.stderr().contains("\u001B") || result.stdout().contains("\u001B"),
                () -> "no escape codes outside a terminal: " + result.describe().replace("\u001B", "<ESC>"));
    }

    /**
     * The launcher, every module's pom (Maven reads the whole reactor, nested modules too), {@code .mvn/} and every
     * module's main sources (the CLI's build picks the modules it needs); the copy builds offline from the local
     * repository this build filled ({@code .mvn/maven.config}).
     */
    private void copySources() throws IOException {
        Path root = Scripts.root();
        copyTree(root.resolve("bin"), copy.resolve("bin"));
        copyTree(root.resolve(".mvn"), copy.resolve(".mvn"));
        Files.writeString(copy.resolve(".mvn/maven.config"), "--offline\n");
        try (Stream<Path> poms = Files.find(root, 3, (path, attributes) -> path.endsWith("pom.xml")
                && !root.relativize(path).toString().matches("(.*/)?(target[^/]*|src|\\.git)/.*"))) {
            for (Path pom : poms.toList()) {
                Path module = copy.resolve(root.relativize(pom)).getParent();
                Files.createDirectories(module);
                Files.copy(pom, module.resolve("pom.xml"));
                Path sources = pom.resolveSibling("src/main");
                if (Files.isDirectory(sources)) {
                    copyTree(sources, module.resolve("src/main"));
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
