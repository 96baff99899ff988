package dev.rockpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs the CLI for tests: in-process through picocli (fast), or as a real process through {@code bin/rockpool}. */
final class Cli {
    private Cli() {
    }

    /** The outcome of one run. */
    record Result(int exit, String out, String err) {
        /** stdout as JSON values, one per line. */
        List<JsonNode> outJson() {
            return lines(out).stream().map(Cli::json).collect(Collectors.toList());
        }

        /** stderr as JSON values, one per line. */
        List<JsonNode> errJson() {
            return lines(err).stream().map(Cli::json).collect(Collectors.toList());
        }

        /** The single error object on stderr ({@code .error}). */
        JsonNode error() {
            List<JsonNode> errors = errJson().stream().filter(n -> n.has("error")).collect(Collectors.toList());
            if (errors.size() != 1) {
                throw new AssertionError("expected one error on stderr, got: " + err);
            }
            return errors.get(0).get("error");
        }

        @Override
        public String toString() {
            return "exit=" + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** Runs in-process with stdin {@code in}; no stream is a terminal (so errors are JSON, output jsonl). */
    static Result run(Path dir, byte[] in, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(in), out, err, false, false, false);
        String[] full = withDir(dir, args);
        int exit = Rockpool.run(io, full);
        return new Result(exit, utf8(out.toByteArray()), utf8(err.toByteArray()));
    }

    static Result run(Path dir, String... args) {
        return run(dir, new byte[0], args);
    }

    /** Runs in-process with terminals everywhere (human errors, pretty output). */
    static Result runOnTerminal(Path dir, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out, err, true, true, true);
        int exit = Rockpool.run(io, withDir(dir, args));
        return new Result(exit, utf8(out.toByteArray()), utf8(err.toByteArray()));
    }

    /** Text of what the tool wrote, which must be UTF-8: malformed bytes fail the test instead of being replaced. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("the output is not UTF-8: " + e, e);
        }
    }

    private static String[] withDir(Path dir, String... args) {
        if (dir == null) {
            return args;
        }
        List<String> full = new ArrayList<>(List.of("--dir", dir.toString()));
        full.addAll(Arrays.asList(args));
        return full.toArray(new String[0]);
    }

    // ------------------------------------------------------------------ real processes

    /** The repository root (surefire runs tests in pool-engine/). */
    static Path repoRoot() {
        Path here = Paths.get("").toAbsolutePath();
        return Files.exists(here.resolve("bin/rockpool")) ? here : here.getParent();
    }

    /** {@code bin/rockpool}. */
    static Path launcher() {
        return repoRoot().resolve("bin/rockpool");
    }

    /**
     * The test JVM's classpath, handed to the launcher as {@code ROCKPOOL_CLASSPATH}: the module jar does not exist
     * yet while tests run (package comes after test), and a nested Maven build from a test must not happen.
     */
    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
    }

    /** A process builder for {@code launcher args...}, stdin from nowhere unless redirected. */
    static ProcessBuilder process(Path launcher, Path cwd, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().put("ROCKPOOL_CLASSPATH", classpath());
        pb.environment().remove("ROCKPOOL_DIR");
        pb.environment().remove("JAVA_OPTS");
        return pb;
    }

    /** Runs {@code bin/rockpool --dir dir args...} to completion with {@code stdin}. */
    static Result exec(Path dir, byte[] stdin, String... args) {
        List<String> full = new ArrayList<>(List.of("--dir", dir.toString()));
        full.addAll(Arrays.asList(args));
        return exec(process(launcher(), dir, full), stdin);
    }

    /** Runs a prepared process to completion (at most two minutes) feeding it {@code stdin}. */
    static Result exec(ProcessBuilder pb, byte[] stdin) {
        try {
            File out = File.createTempFile("rockpool-out", ".txt");
            File err = File.createTempFile("rockpool-err", ".txt");
            try {
                Process p = pb.redirectOutput(out).redirectError(err).start();
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                }
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new AssertionError("process did not end: " + pb.command());
                }
                return new Result(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
            } finally {
                out.delete();
                err.delete();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JsonTrees.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
