package dev.rockpool.pool.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running one of the test mains with this JVM's class path; its stdout lines are collected by a thread
 * (so the child never blocks on a full pipe) and its stderr goes to a file shown when a test fails.
 */
public final class ChildProcess implements AutoCloseable {
    /** The end-of-output marker put in the line queue. */
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private final Path stderr;
    private final Thread pump;

    private ChildProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.pump = new Thread(this::pump, "child-" + process.pid() + "-stdout");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code mainClass} with {@code args} in a new JVM; stderr goes to {@code stderrFile}. */
    public static ChildProcess start(Class<?> mainClass, Path stderrFile, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, quick-starting children: the machine is shared, and the tests start many of them.
        command.add("-Xmx96m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(stderrFile.toFile()).start();
            p.getOutputStream().close();
            return new ChildProcess(p, stderrFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The child died: whatever it printed before is in the queue.
        } finally {
            lines.add(EOF);
        }
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** The next stdout line, or null at the end of output or after {@code timeoutSeconds}. */
    public String nextLine(long timeoutSeconds) {
        try {
            String line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
            if (line == null || line.equals(EOF)) {
                if (line != null) {
                    lines.add(EOF);
                }
                return null;
            }
            all.add(line);
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits for a line starting with {@code prefix}; fails with the child's output if it ends or times out first. */
    public String await(String prefix, long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            String line = nextLine(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())));
            if (line == null) {
                break;
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("child " + pid() + " did not print " + prefix + ": " + describe());
    }

    /** All stdout lines after the child ended (waits for the end of output). */
    public List<String> remainingLines() {
        List<String> rest = new ArrayList<>();
        for (String line = nextLine(60); line != null; line = nextLine(60)) {
            rest.add(line);
        }
        return rest;
    }

    /** SIGKILL (on Linux) and reap. */
    public int kill() {
        process.destroyForcibly();
        return waitFor(60);
    }

    /** Waits for the exit and returns the exit code; fails if the child does not end in time. */
    public int waitFor(long timeoutSeconds) {
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                throw new AssertionError("child " + pid() + " did not exit in " + timeoutSeconds + " s: "
                        + describe());
            }
            pump.join(TimeUnit.SECONDS.toMillis(timeoutSeconds));
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The last stdout lines read and the stderr, for failure messages. */
    public String describe() {
        String err;
        try {
            err = java.nio.file.Files.readString(stderr);
        } catch (IOException e) {
            err = e.toString();
        }
        List<String> tail = all.subList(Math.max(0, all.size() - 5), all.size());
        return "last stdout " + tail + ", stderr: " + (err.length() > 4000 ? err.substring(0, 4000) : err);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
