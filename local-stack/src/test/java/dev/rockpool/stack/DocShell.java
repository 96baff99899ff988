package dev.rockpool.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One bash, on a pseudo-terminal as in a person's terminal window, that runs commands one after the other and keeps its
 * state between them (variables, exports, the working directory, background jobs), as a reader pasting a document's
 * examples into one terminal does. The terminal comes from util-linux's {@code script}; each command is handed over as
 * a file and sourced, and a marker line after it carries its exit status.
 */
final class DocShell implements AutoCloseable {
    private static final Pattern DONE = Pattern.compile("\r?\n?<<docs-test step (\\d+) exit (\\d+)>>\r?\n");
    /** Escape sequences a terminal interprets (colours, cursor moves), and the carriage returns of its line ends. */
    private static final Pattern TERMINAL_CODES = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[()][0-9A-B]|\r");
    private static final String DRIVER = """
            stty cols 120 rows 40 2>/dev/null
            n=0
            while :; do
              n=$((n + 1)); step="$DOCS_STEPS/$n.sh"
              until [ -e "$step" ]; do sleep 0.05; done
              [ -s "$step" ] || break
              . "$step"
              printf '\\n<<docs-test step %s exit %s>>\\n' "$n" "$?"
            done
            """;

    private final Path steps;
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final Thread reader;
    private int stepCount;
    private int consumed;

    /** Starts bash in {@code workDir} with exactly the environment {@code env}. */
    DocShell(Path workDir, Path sessionDir, Map<String, String> env) throws IOException {
        steps = Files.createDirectories(sessionDir.resolve("steps"));
        Path driver = sessionDir.resolve("driver.sh");
        Files.writeString(driver, DRIVER);
        ProcessBuilder builder = new ProcessBuilder("script", "--quiet", "--flush", "--return", "--command",
                "bash --noprofile --norc " + driver, "/dev/null").directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().put("DOCS_STEPS", steps.toString());
        process = builder.start();
        reader = new Thread(() -> pump(process.getInputStream()), "doc-shell-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** What a command printed on the terminal (escape codes and carriage returns removed) and its exit status. */
    record Result(int exitCode, String output) {
    }

    /** Runs {@code command}; fails when it has not finished within {@code timeout}. */
    Result run(String command, Duration timeout) throws IOException, InterruptedException {
        int step = ++stepCount;
        Path file = steps.resolve(step + ".sh");
        Path partial = steps.resolve(step + ".sh.part");
        Files.writeString(partial, command + "\n");
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            while (true) {
                Matcher done = DONE.matcher(output);
                if (done.find(consumed)) {
                    if (Integer.parseInt(done.group(1)) != step) {
                        throw new IllegalStateException("step " + done.group(1) + " finished, expected " + step);
                    }
                    String printed = output.substring(consumed, done.start());
                    consumed = done.end();
                    return new Result(Integer.parseInt(done.group(2)), clean(printed));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                    String printed = clean(output.substring(consumed));
                    throw new AssertionError((left <= 0 ? "did not finish within " + timeout.toSeconds() + " s"
                            : "the shell ended") + "; it printed:\n" + printed);
                }
                output.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 500)));
            }
        }
    }

    static String clean(String terminalOutput) {
        return TERMINAL_CODES.matcher(terminalOutput).replaceAll("");
    }

    private void pump(InputStream in) {
        char[] buffer = new char[8192];
        // A decoding reader: the terminal may split a UTF-8 character between two reads.
        try (Reader terminal = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = terminal.read(buffer)) > 0) {
                synchronized (output) {
                    output.append(buffer, 0, n);
                    output.notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (output) {
                output.append("\n(reading the terminal failed: ").append(e).append(")\n");
            }
        } finally {
            synchronized (output) {
                output.notifyAll();
            }
        }
    }

    /**
     * Ends the session: the driver stops after its last command, background jobs the commands left (a follower waiting
     * for more) are ended by their PIDs, then the terminal.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        List<ProcessHandle> running = process.descendants().toList();
        Files.createFile(steps.resolve((stepCount + 1) + ".sh"));
        process.waitFor(5, TimeUnit.SECONDS);
        running.forEach(ProcessHandle::destroy);
        for (ProcessHandle left : running) {
            left.onExit().completeOnTimeout(left, 10, TimeUnit.SECONDS).join();
            left.destroyForcibly();
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
