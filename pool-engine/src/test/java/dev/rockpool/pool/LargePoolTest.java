package dev.rockpool.pool;

import dev.rockpool.pool.testing.ChildFollower;
import dev.rockpool.pool.testing.ChildProcess;
import dev.rockpool.pool.testing.ChildWriter;
import dev.rockpool.pool.testing.TestMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A pool beyond 2 GiB for real: 2.5 GiB, its ring in three mappings of 1 GiB (the last one shorter), so frames lie
 * beyond file offset 2^31 and across segment ends. A writer process fills most of the ring while a follower process
 * reads every message; the test reads it all back in place and copying and fetches random seqs; a second writer
 * process laps the ring; then writer processes are SIGKILLed mid-append ({@link KillLoop}) and the pool recovers,
 * doctor clean. Skipped, saying so, where the disk has no room for the pool.
 */
class LargePoolTest {
    private static final long SIZE = (2L << 30) + (512L << 20);
    /** Padding up to 16,000 letters: frames of ~100 bytes to ~16 KB, 8 KB on average, on every alignment. */
    private static final int MAX_PAD = 16_000;
    /** The writer of the fill and lap phases (the kill loop's children are 0, 1, 2...). */
    private static final int WRITER = 9;

    @TempDir
    Path dir;

    @Test
    void aPoolBeyondTwoGibIsWrittenReadFollowedLappedAndRecovered() throws Exception {
        long usable = Files.getFileStore(dir).getUsableSpace();
        assumeTrue(usable > SIZE + (1L << 30), "LargePoolTest needs " + (SIZE >> 20) + " MiB and 1 GiB spare in "
                + dir + ", which has " + (usable >> 20) + " MiB free: skipped");
        Path file = dir.resolve("large.pool");
        try (Pool pool = Pool.create(file, PoolOptions.ofSize(SIZE))) {
            PoolInfo info = pool.info();
            assertEquals(HeaderDescriptor.VERSION_SEGMENTED, info.formatVersion());
            assertTrue(info.ringCapacity() > 2L << 30, "the ring crosses 2^31: " + info.ringCapacity());
            assertEquals(1L << 30, pool.maxFrameLength(), "a frame may take a whole segment");

            long filled = averageFrames(info.ringCapacity() * 9 / 10);
            writeFollowed(file, filled);
            assertEquals(filled, pool.info().messageCount(), "the first 90% of the ring overwrites nothing");
            readBack(pool, 1, filled);
            fetchRandomSeqs(pool, filled);

            long lapped = averageFrames(info.ringCapacity() / 2);
            write(file, filled, lapped);
            PoolInfo after = pool.info();
            assertEquals(filled + lapped, after.newestSeq());
            assertTrue(after.oldestSeq() > 1, "the writer lapped the ring: " + after);
            readBack(pool, after.oldestSeq(), after.newestSeq());
            assertTrue(PoolTesting.assertClean(pool).messageCount() > 0);

            KillLoop.runKills(dir, pool, 3, 64, MAX_PAD, false, false);
        }
    }

    /** About how many test messages of {@link #MAX_PAD} take {@code bytes} of ring. */
    private static long averageFrames(long bytes) {
        return bytes / (MAX_PAD / 2 + 100);
    }

    /** Appends {@code count} messages from a writer process while a follower process reads each as it comes. */
    private void writeFollowed(Path file, long count) {
        try (ChildProcess follower = ChildProcess.start(ChildFollower.class, dir.resolve("follower.err"),
                file.toString(), Integer.toString(WRITER + 1), Long.toString(count), "120",
                Integer.toString(MAX_PAD))) {
            follower.await("READY", 60);
            write(file, 0, count);
            assertEquals("DONE " + count, follower.await("DONE", 600), follower::describe);
            assertEquals(0, follower.waitFor(60), follower::describe);
        }
    }

    /** Appends {@code count} messages from counter {@code first} on, in batches, from a writer process. */
    private void write(Path file, long first, long count) {
        try (ChildProcess writer = ChildProcess.start(ChildWriter.class, dir.resolve("writer-" + first + ".err"),
                file.toString(), Integer.toString(WRITER), Long.toString(first), Long.toString(count), "progress",
                "64", Integer.toString(MAX_PAD))) {
            assertEquals("DONE " + count, writer.await("DONE", 600), writer::describe);
            assertEquals(0, writer.waitFor(60), writer::describe);
        }
    }

    /** Every seq from {@code oldest} to {@code newest} reads back as written, in place and copying. */
    private static void readBack(Pool pool, long oldest, long newest) {
        try (Cursor views = pool.cursor(Start.earliest()); Cursor copies = pool.cursor(Start.earliest())) {
            long expected = oldest;
            for (MessageView v = views.nextView(); v != null; v = views.nextView(), expected++) {
                assertEquals(expected, v.seq());
                long[] writerAndCounter = TestMessages.check(v.seq(), StandardCharsets.UTF_8.decode(v.data()).toString(),
                        v.tags(), MAX_PAD);
                assertTrue(v.intact());
                assertEquals(expected - 1, writerAndCounter[1]);
                Message m = copies.next();
                assertEquals(expected, m.seq());
                TestMessages.check(m, MAX_PAD);
            }
            assertEquals(newest + 1, expected);
            assertEquals(null, copies.next());
        }
    }

    /** Random seqs fetched through the index read back as written. */
    private static void fetchRandomSeqs(Pool pool, long newest) {
        Random random = new Random(KillLoop.SEED);
        for (int i = 0; i < 2_000; i++) {
            long seq = 1 + (long) (random.nextDouble() * newest);
            Message m = pool.fetch(seq);
            assertEquals(seq, m.seq());
            assertEquals(seq - 1, TestMessages.check(m, MAX_PAD)[1], "seq " + seq + " seed " + KillLoop.SEED);
        }
    }
}
