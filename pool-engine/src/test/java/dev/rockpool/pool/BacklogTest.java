package dev.rockpool.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.rockpool.pool.PoolTesting.sized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Pool#backlog(long)}: what a reader has not read, and the headroom before it is overwritten, on real files. */
class BacklogTest {
    /** Frames of this many bytes (a multiple of the alignment), so positions are known. */
    private static final int FRAME = 200;

    @TempDir
    Path dir;

    private Pool create(long indexCapacity) {
        return Pool.create(dir.resolve("b.pool"), new PoolOptions(PoolOptions.MIN_SIZE, indexCapacity));
    }

    private static List<AppendResult> append(Pool pool, int n) {
        List<AppendResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            results.add(pool.append(Draft.of(sized(pool.info().nextSeq(), FRAME))));
        }
        return results;
    }

    @Test
    void anEmptyPoolHasTheWholeRingAsHeadroom() {
        try (Pool pool = create(0)) {
            Backlog b = pool.backlog(1);
            assertEquals(new Backlog(1, 0, 0, 0, pool.info().ringCapacity(),
                    FrameDescriptor.align(FrameDescriptor.MIN_MESSAGE_LENGTH)), b);
            assertEquals(pool.info().ringCapacity() / 40, b.headroomMessages());
        }
    }

    @Test
    void unreadMessagesTheirTimeAndTheBytesLeftBeforeTheOldestIsOverwritten() {
        try (Pool pool = create(0)) {
            long ring = pool.info().ringCapacity();
            List<AppendResult> appended = append(pool, 50);
            for (long reader : new long[] {1, 2, 37, 50}) {
                Backlog b = pool.backlog(reader);
                long unread = 51 - reader;
                assertEquals(unread, b.unreadMessages(), "reader at " + reader);
                assertEquals(0, b.overwrittenMessages());
                assertEquals(appended.get((int) reader - 1).timeNanos(), b.oldestUnreadTimeNanos());
                assertEquals(ring - unread * FRAME, b.headroomBytes(), "the unread frames take the rest of the ring");
                assertEquals(FRAME, b.averageFrameBytes());
                assertEquals((ring - unread * FRAME) / FRAME, b.headroomMessages());
            }
            for (long caughtUp : new long[] {51, 52, 1000}) {
                assertEquals(new Backlog(caughtUp, 0, 0, 0, ring, FRAME), pool.backlog(caughtUp));
            }
        }
    }

    /**
     * Headroom falls by one frame per append; while it holds two frames (one, plus the padding a wrap may need) the
     * next append keeps the oldest unread message, once it is below one frame (0 included: the ring is full up to that
     * message) the next append overwrites it, and from then on the backlog counts exactly the messages a cursor
     * reports as the gap.
     */
    @Test
    void headroomFallsToZeroBeforeTheGapThatACursorThenReports() {
        try (Pool pool = create(0)) {
            append(pool, 10);
            long reader = 3;
            Backlog before = pool.backlog(reader);
            while (pool.info().oldestSeq() <= reader) {
                assertEquals(0, before.overwrittenMessages(), before.toString());
                append(pool, 1);
                Backlog after = pool.backlog(reader);
                boolean overwritten = pool.info().oldestSeq() > reader;
                if (before.headroomBytes() >= 2 * FRAME) {
                    assertTrue(!overwritten, "overwritten with headroom " + before);
                    assertTrue(after.headroomBytes() <= before.headroomBytes() - FRAME, after + " after " + before);
                }
                if (before.headroomBytes() < FRAME) {
                    assertTrue(overwritten, "kept with headroom " + before);
                }
                before = after;
            }
            long oldest = pool.info().oldestSeq();
            Backlog b = pool.backlog(reader);
            assertEquals(oldest - reader, b.overwrittenMessages());
            assertEquals(pool.info().nextSeq() - reader, b.unreadMessages());
            assertEquals(0, b.headroomBytes());
            assertEquals(0, b.headroomMessages());
            assertEquals(pool.get(oldest).orElseThrow().timeNanos(), b.oldestUnreadTimeNanos());
            List<Gap> gaps = new ArrayList<>();
            pool.cursor(Start.seq(reader), GapPolicy.CONTINUE, gaps::add).next();
            assertEquals(List.of(new Gap(reader, b.overwrittenMessages())), gaps);
        }
    }

    /** An index of 64 slots for hundreds of messages: the position of the reader's seq comes from a header scan. */
    @Test
    void reusedIndexSlotsFallBackToAScanWithTheSameAnswer() {
        try (Pool pool = create(IndexDescriptor.MIN_CAPACITY)) {
            long ring = pool.info().ringCapacity();
            append(pool, 250);
            long reader = 100;
            Backlog b = pool.backlog(reader);
            assertEquals(151, b.unreadMessages());
            assertEquals(pool.get(reader).orElseThrow().timeNanos(), b.oldestUnreadTimeNanos());
            assertEquals(ring - 151L * FRAME, b.headroomBytes());
        }
    }

    /** Varying sizes: the estimate uses the ring bytes per message in the pool, the bytes stay exact. */
    @Test
    void messagesOfVaryingSizesGiveTheAverageEstimate() {
        try (Pool pool = create(0)) {
            long ring = pool.info().ringCapacity();
            for (int i = 0; i < 40; i++) {
                pool.append(Draft.of(sized(i + 1, i % 2 == 0 ? 104 : 504)));
            }
            Backlog b = pool.backlog(21);
            assertEquals(304.0, b.averageFrameBytes());
            assertEquals(ring - 10L * 104 - 10L * 504, b.headroomBytes());
            assertEquals((long) (b.headroomBytes() / 304.0), b.headroomMessages());
        }
    }

    /** A monitoring thread beside a writer that laps the reader over and over: always a sane snapshot. */
    @Test
    void concurrentWritersNeverGiveAnInsaneSnapshot() throws Exception {
        try (Pool pool = create(0)) {
            long ring = pool.info().ringCapacity();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                while (!stop.get()) {
                    pool.append(Draft.of(sized(0, FRAME)));
                }
            });
            writer.start();
            try {
                for (int i = 0; i < 20_000; i++) {
                    long reader = 1 + (i % 7) * Math.max(1, pool.info().nextSeq() / 7);
                    Backlog b = pool.backlog(reader);
                    assertTrue(b.unreadMessages() >= 0 && b.overwrittenMessages() >= 0
                            && b.overwrittenMessages() <= b.unreadMessages(), b.toString());
                    assertTrue(b.headroomBytes() >= 0 && b.headroomBytes() <= ring, b.toString());
                    assertTrue(b.overwrittenMessages() == 0 || b.headroomBytes() == 0, b.toString());
                    assertTrue(b.averageFrameBytes() >= 40 && b.averageFrameBytes() <= ring, b.toString());
                }
            } finally {
                stop.set(true);
                writer.join();
            }
        }
    }

    @Test
    void aClosedPoolRefuses() {
        Pool pool = create(0);
        pool.close();
        assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class, () -> pool.backlog(1)).kind());
    }
}
