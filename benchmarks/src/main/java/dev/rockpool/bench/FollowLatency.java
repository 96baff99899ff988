package dev.rockpool.bench;

import dev.rockpool.pool.AppendResult;
import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import dev.rockpool.pool.Start;
import dev.rockpool.pool.WaitStrategy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Follow latency across processes: a writer JVM appends messages that carry {@link System#nanoTime()} taken just
 * before the append, at random intervals (0 to a maximum), and a follower JVM waits for them with a cursor and
 * records the time from append to delivery. On Linux {@code nanoTime} reads CLOCK_MONOTONIC, which is one clock for
 * every process of the machine, so the two processes' readings can be subtracted.
 *
 * <p>Run by {@link BenchMain}; each side is also a {@code main} of its own: {@code writer POOL COUNT MAX_GAP_MICROS}
 * and {@code follower POOL COUNT backoff|spin}.
 */
public final class FollowLatency {
    /** The data: {@code {"t":<19 digits>,"pad":"..."}}, 128 bytes; the digits start at {@link #T_OFFSET}. */
    static final int T_OFFSET = 5;
    private static final int T_DIGITS = 19;
    private static final String READY = "READY";

    private FollowLatency() {
    }

    /** Percentiles of one run, in nanoseconds. */
    public record Result(String strategy, int samples, long p50, long p99, long p999, long max) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("writer")) {
            writer(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
        } else if (args.length == 4 && args[0].equals("follower")) {
            System.out.println(follower(Path.of(args[1]), Integer.parseInt(args[2]), args[3]));
        } else {
            System.err.println("usage: FollowLatency writer POOL COUNT MAX_GAP_MICROS | follower POOL COUNT "
                    + "backoff|spin");
            System.exit(2);
        }
    }

    /**
     * Runs a writer and a follower process over a fresh pool in {@code dir}.
     *
     * @param strategy {@code backoff} (the default wait strategy) or {@code spin}
     */
    public static Result run(Path dir, String strategy, int count, long maxGapMicros) throws IOException,
            InterruptedException {
        Path poolFile = dir.resolve("follow-" + strategy + ".pool");
        Files.deleteIfExists(poolFile);
        Pool.create(poolFile, PoolOptions.ofSize(PoolOptions.DEFAULT_SIZE)).close();
        Process follower = child("follower", poolFile.toString(), Integer.toString(count), strategy);
        BufferedReader out = new BufferedReader(new InputStreamReader(follower.getInputStream(),
                StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!READY.equals(line)) {
            follower.destroyForcibly();
            throw new IllegalStateException("follower did not start: " + line);
        }
        Process writer = child("writer", poolFile.toString(), Integer.toString(count), Long.toString(maxGapMicros));
        writer.getInputStream().transferTo(System.err);
        if (writer.waitFor() != 0) {
            follower.destroyForcibly();
            throw new IllegalStateException("writer failed with exit code " + writer.exitValue());
        }
        String result = out.readLine();
        if (!follower.waitFor(60, TimeUnit.SECONDS) || follower.exitValue() != 0 || result == null) {
            follower.destroyForcibly();
            throw new IllegalStateException("follower failed: " + result);
        }
        Files.deleteIfExists(poolFile);
        String[] f = result.split(" ");
        return new Result(strategy, Integer.parseInt(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                Long.parseLong(f[3]), Long.parseLong(f[4]));
    }

    private static Process child(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms256m");
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FollowLatency.class.getName());
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Appends {@code count} messages at random gaps of 0 to {@code maxGapMicros}, each stamped just before. */
    static void writer(Path poolFile, int count, long maxGapMicros) {
        byte[] template = template();
        SplittableRandom random = new SplittableRandom(7);
        try (Pool pool = Pool.open(poolFile)) {
            for (int i = 0; i < count; i++) {
                long gap = random.nextLong(maxGapMicros + 1);
                if (gap > 0) {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(gap));
                }
                byte[] data = template.clone();
                long t = System.nanoTime();
                putDigits(data, t);
                AppendResult r = pool.append(new Draft(List.of(), null, JsonData.trusted(data)), Durability.FAST);
                if (r.seq() <= 0) {
                    throw new IllegalStateException("bad seq " + r.seq());
                }
            }
        }
    }

    /** Follows until {@code count} messages arrived; returns "samples p50 p99 p999 max" (ns), warm-up excluded. */
    static String follower(Path poolFile, int count, String strategy) {
        WaitStrategy wait = switch (strategy) {
            case "backoff" -> WaitStrategy.backoff();
            case "spin" -> WaitStrategy.busySpin();
            default -> throw new IllegalArgumentException("strategy=" + strategy + ": expected backoff or spin");
        };
        long[] latencies = new long[count];
        try (Pool pool = Pool.open(poolFile); Cursor cursor = pool.cursor(Start.latest()).waitStrategy(wait)) {
            System.out.println(READY);
            System.out.flush();
            for (int i = 0; i < count; i++) {
                Message m = cursor.poll(Duration.ofSeconds(30));
                long now = System.nanoTime();
                if (m == null) {
                    throw new IllegalStateException("no message within 30 s after " + i + " of " + count);
                }
                latencies[i] = now - parseDigits(m.payloadArray(), m.dataOffset() + T_OFFSET);
            }
        }
        // The first fifth warms up the JIT of both processes.
        long[] measured = Arrays.copyOfRange(latencies, count / 5, count);
        Arrays.sort(measured);
        return measured.length + " " + percentile(measured, 0.50) + " " + percentile(measured, 0.99) + " "
                + percentile(measured, 0.999) + " " + measured[measured.length - 1];
    }

    static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static byte[] template() {
        StringBuilder sb = new StringBuilder("{\"t\":");
        sb.append("0".repeat(T_DIGITS)).append(",\"pad\":\"");
        while (sb.length() < 128 - 2) {
            sb.append('x');
        }
        return sb.append("\"}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes a value below 10^18 as a 1 followed by 18 zero-padded digits: a valid JSON number of fixed width (JSON
     * allows no leading zeros), so the follower finds it at a fixed offset without parsing.
     */
    static void putDigits(byte[] data, long value) {
        if (value < 0 || value >= 1_000_000_000_000_000_000L) {
            throw new IllegalArgumentException("value=" + value + ": outside 0..10^18");
        }
        long v = value;
        for (int k = T_DIGITS - 1; k >= 1; k--) {
            data[T_OFFSET + k] = (byte) ('0' + v % 10);
            v /= 10;
        }
        data[T_OFFSET] = '1';
    }

    static long parseDigits(byte[] data, int offset) {
        long v = 0;
        for (int k = 1; k < T_DIGITS; k++) {
            v = v * 10 + (data[offset + k] - '0');
        }
        return v;
    }
}
