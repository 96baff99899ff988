package dev.rockpool.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers SIGKILLed in the middle of batch appends: while they hold the writer lock, and while their batches overwrite
 * the whole ring (head beyond the published tail). After each kill the same checks as {@link CrashTest}.
 */
class BatchCrashTest {
    @TempDir
    Path dir;

    @Test
    void writersKilledMidBatchWhileHoldingTheLock() throws Exception {
        // Batches of 400 messages: the child spends most of its life holding the writer lock, so most kills leave
        // the lock word naming a dead process, and the next writer must take it over and repair the pool. The pool
        // must hold everything one child writes in its up to 150 ms (the checks expect its first message still
        // there): today's writer sometimes fills 16 MiB in that time, so 64 MiB.
        int held = KillLoop.runKills(dir, RingLayout.ONE_SEGMENT, PoolOptions.ofSize(64L << 20), 12, 400, 1000, true,
                true);
        assertTrue(held > 0, "no kill landed while the child held the lock; seed " + KillLoop.SEED);
    }

    @ParameterizedTest
    @EnumSource(RingLayout.class)
    void writersKilledWhileBatchesOverwriteTheWholeRing(RingLayout layout) throws Exception {
        // Batches of about 50 KiB into a 64 KiB pool: nearly every batch drops every message before it publishes,
        // so kills land while head is beyond the published tail. Acked messages may be overwritten by later
        // batches here; those still in the pool must be intact.
        KillLoop.runKills(dir, layout, PoolOptions.ofSize(PoolOptions.MIN_SIZE), 15, 70, 1000, false, false);
    }
}
