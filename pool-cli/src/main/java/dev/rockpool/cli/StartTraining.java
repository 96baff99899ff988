package dev.rockpool.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The run a start archive is made from ({@code bin/rockpool}, docs/CLI.md "Start archive"): the short commands, each
 * once or twice, in this process, against pools in a temporary directory, so that the JVM that runs this with
 * {@code -XX:ArchiveClassesAtExit} (or JDK 25's {@code -XX:AOTCacheOutput}) archives the classes they load, and only
 * those. Errors and help are included (picocli's own path); commands that serve or follow for long are not. Prints
 * nothing; exits 1 if a command that must succeed failed, and the launcher then keeps no archive.
 */
public final class StartTraining {
    private StartTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("rockpool-start-");
        try {
            train(dir.toString());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(StartTraining::delete);
            }
        }
    }

    private static void train(String dir) {
        ok(dir, "pool", "create", "t", "--size", "64K");
        ok(dir, "feed", "t", "{\"n\":1,\"s\":\"x\"}", "-t", "a");
        ok(dir, "feed", "t", "--durability", "flush", "{\"n\":2}");
        Rockpool.run(io("{\"n\":3}\n{\"n\":4}\u001e{\"n\":5}\n".getBytes(StandardCharsets.UTF_8), false),
                "--dir", dir, "feed", "t", "--errors", "skip");
        ok(dir, "fetch", "t", "1");
        ok(dir, "fetch", "t", "2", "--format", "pretty");
        ok(dir, "fetch", "t", "2", "--data-only");
        ok(dir, "pool", "info", "t");
        ok(dir, "pool", "info", "t", "--json");
        ok(dir, "pool", "list");
        ok(dir, "follow", "t", "--one", "--tail", "1");
        ok(dir, "follow", "t", "--no-follow", "--where", ".data.n > 1", "-t", "a");
        ok(dir, "doctor", "t");
        // A pool named by its path, and no --dir: the pool directory from the environment.
        Rockpool.run(io(new byte[0], false), "fetch", Path.of(dir, "t.pool").toString(), "1");
        ok(dir, "version");
        // Mistakes and help: picocli parses these.
        run(dir, true, "fetch", "missing", "1");
        run(dir, true, "feed", "t", "{not json");
        run(dir, false, "fetch", "t");
        run(dir, false, "feed", "--help");
        ok(dir, "pool", "delete", "t");
    }

    private static void ok(String dir, String... args) {
        if (run(dir, false, args) != 0) {
            throw new IllegalStateException("training command failed: rockpool " + String.join(" ", args));
        }
    }

    private static int run(String dir, boolean onTerminal, String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "--dir";
        full[1] = dir;
        System.arraycopy(args, 0, full, 2, args.length);
        return Rockpool.run(io(new byte[0], onTerminal), full);
    }

    private static Io io(byte[] stdin, boolean terminal) {
        return new Io(new ByteArrayInputStream(stdin), OutputStream.nullOutputStream(), OutputStream.nullOutputStream(),
                false, terminal, terminal);
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
