package dev.rockpool.cli;

import dev.rockpool.pool.Gap;
import dev.rockpool.pool.GapListener;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns the gaps a follower meets (messages overwritten before it read them) into {@code drop} notices on stderr,
 * coalesced so that at most one is printed per second however fast the writer laps the reader; what is still
 * pending when the command ends is printed then.
 */
final class DropNotices implements GapListener {
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Io io;
    private final String pool;
    private final boolean quiet;
    private long lastNotice = System.nanoTime() - INTERVAL_NANOS;
    private long pendingCount;
    private long pendingFirst;
    private long pendingLast;
    private long total;

    DropNotices(Io io, String pool, boolean quiet) {
        this.io = io;
        this.pool = pool;
        this.quiet = quiet;
    }

    @Override
    public void onGap(Gap gap) {
        if (pendingCount == 0) {
            pendingFirst = gap.firstMissingSeq();
        }
        pendingCount += gap.count();
        pendingLast = gap.resumeSeq() - 1;
        total += gap.count();
        flush(false);
    }

    /** Prints the pending drops if a second has passed since the last notice, or now when {@code force}. */
    void flush(boolean force) {
        if (pendingCount == 0 || quiet) {
            pendingCount = 0;
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastNotice < INTERVAL_NANOS) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("dropped_count", pendingCount);
        details.put("first_missing_seq", pendingFirst);
        details.put("last_missing_seq", pendingLast);
        details.put("total_dropped", total);
        io.notice("drop", "follow", pool, "dropped " + pendingCount + " messages (seq " + pendingFirst + ".."
                + pendingLast + "): overwritten before they were read", details);
        lastNotice = now;
        pendingCount = 0;
    }

    /** Messages lost so far. */
    long total() {
        return total;
    }
}
