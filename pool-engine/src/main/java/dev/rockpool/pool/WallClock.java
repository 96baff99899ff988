package dev.rockpool.pool;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The time stamped on messages: the wall clock (ns since the epoch, UTC), read at the cost of {@link System#nanoTime}.
 * {@link Instant#now()} costs about 1.5 times as much on the machines we measured (see docs/BENCHMARKS.md) and an
 * append is short enough for that to show, so the offset between the two clocks is taken from {@link Instant#now()}
 * every {@link #RESYNC_NANOS} and added to {@code nanoTime} in between. Between two syncs the stamp follows the
 * monotonic clock; a step of the wall clock shows within one resync period. Not thread-safe: one per writer.
 */
final class WallClock {
    /** How often the offset is taken again: bounds how far an NTP slew can move the two clocks apart (~50 µs). */
    static final long RESYNC_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private long offset;
    private long syncedAt;
    private boolean synced;

    long nowNanos() {
        long monotonic = System.nanoTime();
        if (!synced || monotonic - syncedAt >= RESYNC_NANOS) {
            offset = precise() - monotonic;
            syncedAt = monotonic;
            synced = true;
        }
        return monotonic + offset;
    }

    /** The wall clock read directly. */
    static long precise() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
