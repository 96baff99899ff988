package dev.rockpool.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bin/rockpool --dir DIR serve ...} as a real process on a free loopback port (port 0 and a ready file, as a
 * script would do), stopped with SIGTERM or SIGKILL, and started again on the same port.
 */
final class ServeProcess implements AutoCloseable {
    private static final long READY_TIMEOUT_MILLIS = 120_000;
    /** Numbers the runs of all servers, so that each has its own ready file and logs in a shared directory. */
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Path dir;
    private final Path work;
    private final List<String> options;
    private Process process;
    private String address;
    private int run;

    /** Starts a server of the pools in {@code dir} with these serve options (besides --bind and --ready-file). */
    ServeProcess(Path dir, Path work, String... options) {
        this.dir = dir;
        this.work = work;
        this.options = List.of(options);
        start("127.0.0.1:0");
    }

    private void start(String bind) {
        run = RUNS.incrementAndGet();
        Path ready = work.resolve("ready-" + run);
        List<String> args = new ArrayList<>(List.of("--dir", dir.toString(), "serve", "--bind", bind,
                "--ready-file", ready.toString()));
        args.addAll(options);
        try {
            process = Cli.process(Cli.launcher(), work, args).redirectOutput(work.resolve("serve-" + run + ".out")
                    .toFile()).redirectError(stderrFile().toFile()).start();
            long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
            while (!Files.exists(ready)) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the server did not start (exit " + (process.isAlive() ? "-" :
                            process.exitValue()) + "): " + stderr());
                }
                Thread.sleep(20);
            }
            address = Files.readString(ready, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code host:port} as the ready file says. */
    String address() {
        return address;
    }

    /** The port it listens on. */
    int port() {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** {@code http://host:port/POOL}, or {@code https://localhost:port/POOL} for a TLS server. */
    String url(String scheme, String pool) {
        return scheme + "://" + (scheme.equals("https") ? "localhost:" + port() : address) + "/" + pool;
    }

    String url(String pool) {
        return url("http", pool);
    }

    Process process() {
        return process;
    }

    private Path stderrFile() {
        return work.resolve("serve-" + run + ".err");
    }

    /** What the current run wrote on stderr. */
    String stderr() {
        try {
            return Files.exists(stderrFile()) ? Files.readString(stderrFile(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, and the exit code once it ended (fails after {@code seconds}). */
    int terminate(long seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("serve did not end within " + seconds + " s of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: gone at once, nothing drained. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** Starts it again on the same port. */
    void restart() {
        start(address);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
