package dev.rockpool.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.rockpool.pool.PoolTesting.MIN_SIZED_FRAME;
import static dev.rockpool.pool.PoolTesting.assertClean;
import static dev.rockpool.pool.PoolTesting.assertConsistent;
import static dev.rockpool.pool.PoolTesting.sized;
import static dev.rockpool.pool.PoolTesting.sizedSeq;
import static dev.rockpool.pool.PoolTesting.tail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ring's boundaries: every kind of remainder at the physical end of the ring or of a segment, index collisions, a
 * ring-sized message. Most run on both {@link RingLayout}s: in a ring of segments, a segment's end is a boundary like
 * the ring's end, and the last segment ends where the ring does.
 */
class WrapAroundTest {
    @TempDir
    Path dir;

    private Path file;
    private Pool pool;
    private long ring;
    private long ringOffset;
    /** Bytes of a segment: the ring's capacity when it is one segment. */
    private long segment;

    private void create(long indexCapacity) {
        create(RingLayout.ONE_SEGMENT, indexCapacity);
    }

    private void create(RingLayout layout, long indexCapacity) {
        file = dir.resolve("w.pool");
        pool = layout.create(file, new PoolOptions(PoolOptions.MIN_SIZE, indexCapacity));
        ring = pool.info().ringCapacity();
        ringOffset = IndexDescriptor.ringOffset(pool.info().indexCapacity());
        segment = pool.maxFrameLength();
    }

    /** The physical end of the segment the tail is in (the ring's end in the last or only segment). */
    private long boundary() {
        return Math.min((tail(file) % ring / segment + 1) * segment, ring);
    }

    private Cursor follower;
    private long followerNext = 1;

    private long append(int frameLength) {
        long seq = pool.info().nextSeq();
        assertEquals(seq, pool.append(Draft.of(sized(seq, frameLength))).seq());
        if (follower != null) {
            for (Message m = follower.next(); m != null; m = follower.next()) {
                assertEquals(followerNext++, m.seq(), "the follower never lost anything");
                assertEquals(m.seq(), sizedSeq(m));
            }
            assertEquals(seq + 1, followerNext);
        }
        return seq;
    }

    /**
     * Appends frames until the tail is exactly {@code remainder} bytes before the physical end of its segment (of the
     * ring, when it is one segment); returns that end.
     */
    private long fillTo(long remainder) {
        long end = boundary();
        long distance = end - remainder - tail(file) % ring;
        assertTrue(distance >= MIN_SIZED_FRAME || distance == 0, "distance " + distance);
        while (distance > 0) {
            long size = distance <= 1024 ? distance : distance - 1024 >= MIN_SIZED_FRAME ? 1024 : distance - 512;
            append((int) size);
            distance -= size;
        }
        assertEquals((end - remainder) % ring, tail(file) % ring);
        return end;
    }

    static Stream<Arguments> remaindersOnBothLayouts() {
        return Stream.of(RingLayout.values()).flatMap(layout -> IntStream.of(0, 8, 16, 24, 32, 40, 48, 56, 64, 1000)
                .mapToObj(remainder -> Arguments.of(layout, remainder)));
    }

    /**
     * For each remainder left at the end of the ring or a segment (none: a frame fills it exactly; smaller than a
     * frame header; exactly a frame header; larger), a lap per segment (at least three): fill to that remainder,
     * append a frame that does not fit, and check where it went, what a follower and get() see, and that the doctor
     * finds the ring clean.
     */
    @ParameterizedTest
    @MethodSource("remaindersOnBothLayouts")
    void wrapWithRemainder(RingLayout layout, int remainder) {
        create(layout, 0);
        try {
            follower = pool.cursor(Start.earliest());
            long laps = Math.max(3, (ring + segment - 1) / segment);
            for (int lap = 0; lap < laps; lap++) {
                long end = fillTo(remainder);
                long before = tail(file);
                int frame = remainder == 0 ? 512 : remainder + 8 + lap * 8;
                frame = Math.max(frame, MIN_SIZED_FRAME);
                long seq = append(frame);
                long after = tail(file);
                if (remainder == 0) {
                    assertEquals(before + frame, after, "the segment ended exactly at a frame end: no filler");
                    assertEquals(end % ring, (after - frame) % ring);
                } else {
                    assertEquals(before + remainder + frame, after, "skipped " + remainder + " bytes at the end");
                    assertEquals(end % ring, (after - frame) % ring, "the frame starts the next segment");
                    ByteBuffer filler = PoolTesting.read(file, ringOffset + end - remainder, remainder);
                    if (remainder >= FrameDescriptor.FRAME_HEADER_LENGTH) {
                        assertEquals(remainder, filler.getInt(FrameDescriptor.LENGTH_OFFSET));
                        assertEquals(FrameDescriptor.TYPE_PADDING, filler.getInt(FrameDescriptor.TYPE_OFFSET));
                    }
                }
                Message wrapped = pool.get(seq).orElseThrow();
                assertEquals(seq, sizedSeq(wrapped));
                assertEquals(wrapped.seq(), pool.get(pool.info().newestSeq()).orElseThrow().seq());
                PoolInfo info = pool.info();
                assertEquals(info.oldestSeq(), pool.cursor(Start.earliest()).next().seq());
                assertEquals(info.oldestSeq(), sizedSeq(pool.get(info.oldestSeq()).orElseThrow()));
                assertConsistent(pool);
                // The frames before the wrap that survived are still readable by seq.
                for (long s = info.oldestSeq(); s <= info.newestSeq(); s++) {
                    assertEquals(s, sizedSeq(pool.get(s).orElseThrow()));
                }
            }
            // Reopening finds the same state.
            PoolInfo info = pool.info();
            pool.close();
            pool = Pool.open(file);
            assertEquals(info, pool.info());
            assertConsistent(pool);
        } finally {
            pool.close();
        }
    }

    static Stream<Arguments> boundaryRemaindersOnBothLayouts() {
        return Stream.of(RingLayout.values()).flatMap(layout -> IntStream.of(0, 16, 32, 200)
                .mapToObj(remainder -> Arguments.of(layout, remainder)));
    }

    /**
     * A cursor parked exactly at the end of the ring or a segment (or in the remainder) continues at the wrapped
     * frame.
     */
    @ParameterizedTest
    @MethodSource("boundaryRemaindersOnBothLayouts")
    void cursorWaitingAtTheBoundaryFollowsTheWrap(RingLayout layout, int remainder) {
        create(layout, 0);
        try {
            fillTo(remainder);
            Cursor atEnd = pool.cursor(Start.latest());
            Cursor bySeq = pool.cursor(Start.seq(pool.info().nextSeq()));
            assertNull(atEnd.next());
            long seq = append(300);
            assertEquals(seq, atEnd.next().seq());
            assertEquals(seq, bySeq.next().seq());
            assertNull(atEnd.next());
            assertEquals(List.of(seq - 1, seq), seqs(pool.cursor(Start.tail(2))));
            assertClean(pool);
        } finally {
            pool.close();
        }
    }

    @Test
    void singleMaximumSizeMessageThenTheNextAppendEvictsIt() {
        create(0);
        try {
            // First into an empty ring (frame starts at physical 0), then again after other messages (wraps).
            long max = pool.maxFrameLength();
            assertEquals(ring, max);
            long first = append((int) max);
            assertEquals(1, first);
            assertEquals(1, pool.info().messageCount());
            assertEquals(0, pool.info().bytesFree());
            assertEquals(first, sizedSeq(pool.get(first).orElseThrow()));
            assertConsistent(pool);

            Cursor slow = pool.cursor(Start.earliest());
            List<Gap> gaps = new ArrayList<>();
            Cursor gapped = pool.cursor(Start.earliest(), GapPolicy.CONTINUE, gaps::add);
            long small = append(100);
            PoolInfo info = pool.info();
            assertEquals(1, info.messageCount(), "the big message was evicted whole");
            assertEquals(small, info.oldestSeq());
            assertTrue(pool.get(first).isEmpty());
            assertEquals(small, gapped.next().seq());
            assertEquals(List.of(new Gap(first, 1)), gaps);
            assertEquals(small, slow.next().seq());
            assertConsistent(pool);

            append(5000);
            append(5000);
            long big = append((int) max);
            info = pool.info();
            assertEquals(1, info.messageCount());
            assertEquals(big, info.oldestSeq());
            assertEquals(big, sizedSeq(pool.get(big).orElseThrow()));
            assertEquals(0, (tail(file) - max) % ring, "a ring-sized frame always starts at physical 0");
            assertConsistent(pool);
            long after = append((int) max);
            assertEquals(big + 1, after);
            assertEquals(1, pool.info().messageCount());
            assertConsistent(pool);
            append(64);
            assertConsistent(pool);
        } finally {
            pool.close();
        }
    }

    /**
     * A batch larger than the ring: it is published as a whole, so its first messages are overwritten by its last
     * ones before any reader could see them; they get seqs (never reused) and readers see them as a gap.
     */
    @Test
    void batchLargerThanTheRing() {
        create(0);
        try {
            append(1000);
            List<Gap> gaps = new ArrayList<>();
            Cursor c = pool.cursor(Start.latest(), GapPolicy.CONTINUE, gaps::add);
            List<Draft> batch = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                batch.add(Draft.of(sized(2 + i, 1000)));
            }
            List<AppendResult> results = pool.appendBatch(batch, Durability.FAST);
            assertEquals(2, results.get(0).seq());
            assertEquals(151, results.get(149).seq());
            PoolInfo info = pool.info();
            assertEquals(151, info.newestSeq());
            assertEquals(ring / 1000, info.messageCount());
            Message first = c.next();
            assertEquals(info.oldestSeq(), first.seq());
            assertEquals(List.of(new Gap(2, info.oldestSeq() - 2)), gaps);
            assertConsistent(pool);
            assertEquals(152, append(100));
        } finally {
            pool.close();
        }
    }

    @ParameterizedTest
    @EnumSource(RingLayout.class)
    void indexCollisionsFallBackToAScan(RingLayout layout) {
        create(layout, IndexDescriptor.MIN_CAPACITY);
        try {
            assertEquals(64, pool.info().indexCapacity());
            // Far more messages in the ring than slots: most seqs' slots were taken by a later seq.
            for (int i = 0; i < 3000; i++) {
                append(MIN_SIZED_FRAME + (i % 7) * 8);
            }
            PoolInfo info = pool.info();
            assertTrue(info.messageCount() > 64 * 4, "count " + info.messageCount());
            for (long s = info.oldestSeq(); s <= info.newestSeq(); s++) {
                assertEquals(s, sizedSeq(pool.get(s).orElseThrow()), "seq " + s);
            }
            assertTrue(pool.get(info.oldestSeq() - 1).isEmpty(), "overwritten");
            assertTrue(pool.get(1).isEmpty());
            assertTrue(pool.get(info.newestSeq() + 1).isEmpty(), "not yet written");
            assertTrue(pool.get(info.newestSeq() + 64).isEmpty(), "not yet written, slot of a present seq");
            long mid = (info.oldestSeq() + info.newestSeq()) / 2;
            assertEquals(List.of(mid, mid + 1), seqs(pool.cursor(Start.seq(mid))).subList(0, 2));
            assertConsistent(pool);
        } finally {
            pool.close();
        }
    }

    @Test
    void staleOrWrongSlotIsNeverTrusted() {
        create(IndexDescriptor.MIN_CAPACITY);
        try {
            for (int i = 0; i < 10; i++) {
                append(200);
            }
            // Point seq 5's slot at seq 3's frame (the slot still claims seq 5), and seq 6's outside the ring.
            long slot5 = IndexDescriptor.slotOffset(5, 64, 0);
            long position3 = PoolTesting.headerLong(file, IndexDescriptor.slotOffset(3, 64, 0)
                    + IndexDescriptor.POSITION_OFFSET);
            PoolTesting.writeLong(file, slot5 + IndexDescriptor.POSITION_OFFSET, position3);
            PoolTesting.writeLong(file, IndexDescriptor.slotOffset(6, 64, 0) + IndexDescriptor.POSITION_OFFSET,
                    ring * 5);
            PoolTesting.writeLong(file, IndexDescriptor.slotOffset(7, 64, 0) + IndexDescriptor.POSITION_OFFSET, 12);
            for (long s = 1; s <= 10; s++) {
                assertEquals(s, sizedSeq(pool.get(s).orElseThrow()), "seq " + s);
            }
            assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L), seqs(pool.cursor(Start.seq(5))));
            assertEquals(List.of(6L, 7L, 8L, 9L, 10L), seqs(pool.cursor(Start.seq(6))));
            DoctorReport report = pool.doctor();
            assertEquals(2, report.issues().size(), report.issues()::toString);
            assertTrue(report.issues().get(0).message().contains("index slot 5 points at seq 3"),
                    report.issues()::toString);
            assertEquals(5L, report.issues().get(0).seq());
            assertTrue(report.issues().get(1).message().contains("index slot 7 points outside the ring: position 12")
                    || report.issues().get(1).message().contains("index slot 7"), report.issues()::toString);
            // The next appends rewrite the slots they use; the rest stay wrong until their seq comes round again.
            for (int i = 0; i < 64; i++) {
                append(200);
            }
            assertClean(pool);
        } finally {
            pool.close();
        }
    }

    @Test
    void negativeAndHugeSeqsAreSimplyAbsentInABigIndex() {
        file = dir.resolve("big.pool");
        pool = Pool.create(file, PoolOptions.ofSize(4L << 20));
        try {
            pool.append(Draft.of("{}"));
            for (long s : new long[] {0, -1, -5000, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, 2}) {
                assertTrue(pool.get(s).isEmpty(), "seq " + s);
            }
        } finally {
            pool.close();
        }
    }

    private static List<Long> seqs(Cursor c) {
        List<Long> out = new ArrayList<>();
        for (Message m = c.next(); m != null; m = c.next()) {
            out.add(m.seq());
        }
        return out;
    }
}
