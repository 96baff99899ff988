package dev.rockpool.pool;

import dev.rockpool.pool.testing.PoolFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.rockpool.pool.PoolTesting.MIN_SIZED_FRAME;
import static dev.rockpool.pool.PoolTesting.sized;
import static dev.rockpool.pool.PoolTesting.sizedSeq;
import static dev.rockpool.pool.PoolTesting.tail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ring in segments (format version 2), with segments of {@value RingLayout#SEGMENT_BYTES} bytes so that a small
 * pool has many: the largest frame a segment holds, at a segment's end and in the shorter last segment, and the index
 * of a slot per stride of seqs (lookups that read at most a stride of frames, a writer that indexes its own first seq
 * where its group cannot be read).
 */
class SegmentedRingTest {
    @TempDir
    Path dir;

    private Pool create(String name, long size, long indexCapacity) {
        return RingLayout.SEGMENTED.create(dir.resolve(name), new PoolOptions(size, indexCapacity));
    }

    private static long append(Pool pool, int frameLength) {
        long seq = pool.info().nextSeq();
        assertEquals(seq, pool.append(Draft.of(sized(seq, frameLength))).seq());
        return seq;
    }

    @Test
    void theLayoutIsVersion2WithItsSegmentsAndStride() {
        try (Pool pool = create("l.pool", PoolOptions.MIN_SIZE, 0)) {
            PoolInfo info = pool.info();
            assertEquals(HeaderDescriptor.VERSION_SEGMENTED, info.formatVersion());
            assertEquals(RingLayout.SEGMENT_BYTES, pool.maxFrameLength(), "a frame is at most a segment");
            Path file = pool.path();
            assertEquals(Integer.numberOfTrailingZeros(RingLayout.SEGMENT_BYTES), PoolFile.segmentShift(file));
            assertEquals(IndexDescriptor.strideShift(info.indexCapacity(), info.ringCapacity()),
                    PoolFile.strideShift(file));
            assertTrue(PoolFile.strideShift(file) > 0, "a slot per stride of seqs");
            assertTrue(info.ringCapacity() % RingLayout.SEGMENT_BYTES != 0, "the last segment is shorter");
        }
    }

    /**
     * The largest frame (a whole segment) after a small one: it pads the rest of the first segment and fills the
     * second; in the shorter last segment it does not fit, so the rest of the ring is padded and it starts the ring
     * again. Every message stays readable, by cursor, in place and by seq, and the doctor finds nothing.
     */
    @Test
    void theLargestFrameFillsASegmentAndNeverTheShorterLastOne() {
        try (Pool pool = create("max.pool", PoolOptions.MIN_SIZE, 0)) {
            long segment = pool.maxFrameLength();
            long ring = pool.info().ringCapacity();
            Path file = pool.path();
            Cursor follower = pool.cursor(Start.earliest());
            long small = append(pool, 300);
            long big = append(pool, (int) segment);
            assertEquals(2 * segment, tail(file), "it filled the second segment exactly");
            long next = append(pool, 200);
            assertEquals(2 * segment + 200, tail(file), "the next frame starts the third segment");
            for (long seq : new long[] {small, big, next}) {
                Message m = follower.next();
                assertEquals(seq, m.seq());
                assertEquals(seq, sizedSeq(m));
                assertEquals(seq, sizedSeq(pool.get(seq).orElseThrow()));
            }
            // Fill the third segment, then try the largest frame in the shorter last one.
            while (3 * segment - tail(file) % ring > 2048) {
                append(pool, 1024);
            }
            append(pool, (int) (3 * segment - tail(file) % ring));
            assertEquals(3 * segment, tail(file) % ring);
            long wrapped = append(pool, (int) segment);
            assertEquals(ring + segment, tail(file), "padding over the last segment, then the ring's start");
            assertEquals(wrapped, sizedSeq(pool.get(wrapped).orElseThrow()));
            Cursor inPlace = pool.cursor(Start.seq(wrapped));
            MessageView view = inPlace.nextView();
            assertEquals(wrapped, view.seq());
            assertEquals(segment - PoolTesting.BARE_FRAME_OVERHEAD, view.data().remaining());
            assertTrue(view.intact());
            for (Message m = follower.next(); m != null; m = follower.next()) {
                assertEquals(m.seq(), sizedSeq(m));
            }
            assertEquals(wrapped + 1, follower.nextSeq());
            PoolTesting.assertConsistent(pool);
            MessageTooLargeException tooLarge = assertThrows(MessageTooLargeException.class,
                    () -> pool.append(Draft.of(sized(0, (int) segment + 8))));
            assertEquals(segment, tooLarge.limit());
        }
    }

    /**
     * A lookup reads forward from the slot of its seq's group, or from head once the group's first seq is gone: every
     * seq of a pool that wrapped many times is found, by get, by a cursor started at it, and by the backlog.
     */
    @Test
    void everySeqIsFoundFromItsGroupOrFromHead() {
        try (Pool pool = create("stride.pool", PoolOptions.MIN_SIZE, 0)) {
            int stride = 1 << PoolFile.strideShift(pool.path());
            // Several laps, and head inside a group, so that the oldest seqs are found from head.
            for (int i = 0; i < 2000 || pool.info().oldestSeq() % stride == 0; i++) {
                append(pool, MIN_SIZED_FRAME + (i % 11) * 8);
            }
            PoolInfo info = pool.info();
            for (long s = info.oldestSeq(); s <= info.newestSeq(); s++) {
                assertEquals(s, sizedSeq(pool.get(s).orElseThrow()), "seq " + s);
                assertEquals(s, pool.cursor(Start.seq(s)).next().seq());
                assertEquals(info.newestSeq() - s + 1, pool.backlog(s).unreadMessages());
            }
            assertTrue(pool.get(info.oldestSeq() - 1).isEmpty(), "overwritten");
            assertTrue(pool.get(info.newestSeq() + 1).isEmpty(), "not written yet");
            assertEquals(info.oldestSeq(), pool.cursor(Start.seq(1)).next().seq());
            PoolTesting.assertConsistent(pool);
        }
    }

    /**
     * A frame damaged in the middle of a group (an OS crash that wrote pages out of order, a disk): a lookup from the
     * group's slot stops there and reports it. The next writer sees that its group cannot be read up to the tail and
     * indexes its own first seq, so what it appends is found; the doctor still reports the damaged frame.
     */
    @Test
    void aWriterIndexesItsFirstSeqWhenItsGroupCannotBeRead() {
        Path file = dir.resolve("damaged.pool");
        int stride;
        try (Pool pool = create("damaged.pool", PoolOptions.MIN_SIZE, 0)) {
            stride = 1 << PoolFile.strideShift(file);
            for (int i = 0; i < stride + 5; i++) {
                append(pool, 200);
            }
        }
        long damaged = stride + 2;
        long frame = PoolFile.frameOffsets(file).get((int) damaged - 1);
        PoolFile.putInt(file, frame + FrameDescriptor.LENGTH_OFFSET, 1 << 20);
        try (Pool pool = Pool.open(file)) {
            PoolException e = assertThrows(PoolException.class, () -> pool.get(damaged + 1));
            assertEquals(ErrorKind.CORRUPT, e.kind());
            assertEquals(frame, e.offset(), "the lookup names the damaged frame");
            long seq = append(pool, 300);
            assertEquals(seq, PoolFile.getLong(file, PoolFile.slotOffset(file, seq) + IndexDescriptor.SEQ_OFFSET),
                    "the writer indexed its first seq in its group's slot");
            long second = append(pool, 300);
            assertEquals(seq, sizedSeq(pool.get(seq).orElseThrow()));
            assertEquals(second, sizedSeq(pool.get(second).orElseThrow()));
            assertEquals(seq, pool.cursor(Start.seq(seq)).next().seq());
            assertEquals(stride + 1, sizedSeq(pool.get(stride + 1).orElseThrow()), "before the damage");
            DoctorReport report = pool.doctor();
            assertEquals(1, report.issues().size(), report.issues()::toString);
            assertEquals(frame, report.issues().get(0).offset());
        }
    }

    /**
     * A writer that died after storing next seq but before publishing leaves seqs that never had a frame; when the
     * first seq of a group is among them, its slot names a seq that is not there. The next writer recovers, finds its
     * group without an entry and indexes its own first seq: its appends are found without reading from head.
     */
    @Test
    void aGroupWhoseFirstSeqNeverExistedGetsTheNextWritersFirstSeq() {
        Path file = dir.resolve("hole.pool");
        try (Pool pool = create("hole.pool", 1L << 20, 0)) {
            int stride = 1 << PoolFile.strideShift(file);
            while (pool.info().nextSeq() < 2L * stride - 3) {
                append(pool, 200);
            }
            // The dead writer's seqs: the rest of this group and the first of the next, slots written, tail not.
            long tail = tail(file);
            long first = pool.info().nextSeq();
            long groupStart = 2L * stride;
            PoolFile.putLong(file, PoolFile.slotOffset(file, groupStart) + IndexDescriptor.POSITION_OFFSET,
                    tail + (groupStart - first) * 200);
            PoolFile.putLong(file, PoolFile.slotOffset(file, groupStart) + IndexDescriptor.SEQ_OFFSET, groupStart);
            PoolFile.putLong(file, HeaderDescriptor.LAST_SEQ_OFFSET, groupStart + 1);
            PoolFile.putLong(file, HeaderDescriptor.NEXT_SEQ_OFFSET, groupStart + 2);
        }
        try (Pool pool = Pool.open(file)) {
            List<Long> appended = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                appended.add(append(pool, 64 + 8 * i));
            }
            assertFalse(IndexDescriptor.startsGroup(appended.get(0), PoolFile.strideShift(file)));
            assertEquals(appended.get(0),
                    PoolFile.getLong(file, PoolFile.slotOffset(file, appended.get(0)) + IndexDescriptor.SEQ_OFFSET));
            for (long seq : appended) {
                assertEquals(seq, sizedSeq(pool.get(seq).orElseThrow()));
            }
            PoolTesting.assertClean(pool);
        }
    }
}
