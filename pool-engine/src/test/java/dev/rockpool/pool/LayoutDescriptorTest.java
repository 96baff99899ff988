package dev.rockpool.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static dev.rockpool.pool.HeaderDescriptor.FILE_HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The on-disk layout: offsets, alignment, and the name=value messages of the header validators. */
class LayoutDescriptorTest {
    @TempDir
    Path dir;

    @Test
    void headerFieldsDoNotOverlapAndAtomicFieldsAreAligned() {
        int[][] fields = {
            {HeaderDescriptor.MAGIC_OFFSET, 8}, {HeaderDescriptor.VERSION_OFFSET, 4},
            {HeaderDescriptor.HEADER_LENGTH_OFFSET, 4}, {HeaderDescriptor.FILE_SIZE_OFFSET, 8},
            {HeaderDescriptor.INDEX_OFFSET_OFFSET, 8}, {HeaderDescriptor.INDEX_CAPACITY_OFFSET, 8},
            {HeaderDescriptor.RING_OFFSET_OFFSET, 8}, {HeaderDescriptor.RING_CAPACITY_OFFSET, 8},
            {HeaderDescriptor.POOL_ID_OFFSET, 16}, {HeaderDescriptor.CREATED_OFFSET, 8},
            {HeaderDescriptor.LOCK_OFFSET, 8}, {HeaderDescriptor.TAIL_OFFSET, 8}, {HeaderDescriptor.HEAD_OFFSET, 8},
            {HeaderDescriptor.NEXT_SEQ_OFFSET, 8}, {HeaderDescriptor.COUNT_OFFSET, 8},
            {HeaderDescriptor.LAST_POSITION_OFFSET, 8}, {HeaderDescriptor.LAST_SEQ_OFFSET, 8},
            {HeaderDescriptor.LAST_TIME_OFFSET, 8}, {HeaderDescriptor.HEAD_SEQ_OFFSET, 8},
        };
        for (int i = 0; i < fields.length; i++) {
            int[] f = fields[i];
            assertEquals(0, f[0] % Math.min(f[1], 8), "field at " + f[0] + " is not naturally aligned");
            assertTrue(f[0] + f[1] <= FILE_HEADER_LENGTH);
            for (int j = i + 1; j < fields.length; j++) {
                int[] g = fields[j];
                assertTrue(f[0] + f[1] <= g[0] || g[0] + g[1] <= f[0], "fields at " + f[0] + " and " + g[0]);
            }
        }
        // The lock word and the commit word each start a cache line, so writers spinning on one do not slow the other.
        assertEquals(0, HeaderDescriptor.LOCK_OFFSET % 64);
        assertEquals(0, HeaderDescriptor.TAIL_OFFSET % 64);
        assertTrue(HeaderDescriptor.LOCK_OFFSET + 64 <= HeaderDescriptor.TAIL_OFFSET);
        assertEquals(0, FILE_HEADER_LENGTH % 4096, "index must start page-aligned");
        assertEquals(0x4C4F4F504B434F52L, ByteBuffer.wrap("ROCKPOOL".getBytes()).order(ByteOrder.LITTLE_ENDIAN)
                .getLong());
    }

    @Test
    void frameLayout() {
        assertEquals(32, FrameDescriptor.FRAME_HEADER_LENGTH);
        assertEquals(0, FrameDescriptor.SEQ_OFFSET % 8);
        assertEquals(0, FrameDescriptor.TIME_OFFSET % 8);
        assertEquals(FrameDescriptor.FRAME_HEADER_LENGTH, FrameDescriptor.META_LENGTH_OFFSET + 4);
        assertEquals(0, FrameDescriptor.align(0));
        assertEquals(8, FrameDescriptor.align(1));
        assertEquals(8, FrameDescriptor.align(8));
        assertEquals(40, FrameDescriptor.align(33));
        assertEquals(Integer.MAX_VALUE - 7, FrameDescriptor.align(Integer.MAX_VALUE - 8));
        long ring = 1024;
        // A padding frame must end exactly at the end of its segment (here the ring).
        assertTrue(FrameDescriptor.isPlausible(64, FrameDescriptor.TYPE_PADDING, 0, 0, ring - 64, ring));
        assertFalse(FrameDescriptor.isPlausible(64, FrameDescriptor.TYPE_PADDING, 0, 0, ring - 72, ring));
        assertFalse(FrameDescriptor.isPlausible(16, FrameDescriptor.TYPE_PADDING, 0, 0, ring - 16, ring));
        // A message needs a header, the 3-byte minimal meta and at least "{}".
        assertTrue(FrameDescriptor.isPlausible(37, FrameDescriptor.TYPE_MESSAGE, 3, 1, 0, ring));
        assertFalse(FrameDescriptor.isPlausible(36, FrameDescriptor.TYPE_MESSAGE, 3, 1, 0, ring));
        assertFalse(FrameDescriptor.isPlausible(37, FrameDescriptor.TYPE_MESSAGE, 2, 1, 0, ring));
        assertFalse(FrameDescriptor.isPlausible(37, FrameDescriptor.TYPE_MESSAGE, 4, 1, 0, ring));
        assertTrue(FrameDescriptor.isPlausible(1024, FrameDescriptor.TYPE_MESSAGE, 3, 1, 0, ring));
        assertFalse(FrameDescriptor.isPlausible(1017, FrameDescriptor.TYPE_MESSAGE, 3, 1, 8, ring), "past the end");
        assertFalse(FrameDescriptor.isPlausible(64, 0, 3, 1, 0, ring), "zeroed memory is no frame");
        assertFalse(FrameDescriptor.isPlausible(64, 3, 3, 1, 0, ring));
        assertFalse(FrameDescriptor.isPlausible(-5, FrameDescriptor.TYPE_MESSAGE, 3, 1, 0, ring));
        // Lengths whose padding or sum overflows an int must not wrap around into plausible values.
        long big = Integer.MAX_VALUE & -8L;
        for (int length : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 6, Integer.MIN_VALUE}) {
            assertFalse(FrameDescriptor.isPlausible(length, FrameDescriptor.TYPE_MESSAGE, 3, 1, 8, big), "" + length);
            assertFalse(FrameDescriptor.isPlausible(length, FrameDescriptor.TYPE_PADDING, 0, 0, 8, big), "" + length);
        }
        // Seqs run from 1 to below MAX_SEQ.
        for (long seq : new long[] {0, -1, Long.MIN_VALUE, HeaderDescriptor.MAX_SEQ, Long.MAX_VALUE}) {
            assertFalse(FrameDescriptor.isPlausible(37, FrameDescriptor.TYPE_MESSAGE, 3, seq, 0, ring), "" + seq);
        }
        assertEquals("bad frame header: length=2147483647 at ring offset=8 (a message is 37 bytes to the end of its"
                + " segment, segment end=1024)", FrameDescriptor.headerProblem(Integer.MAX_VALUE,
                FrameDescriptor.TYPE_MESSAGE, 3, 1, 8, ring));
        assertEquals("bad frame header: seq=0 (1 to " + (HeaderDescriptor.MAX_SEQ - 1) + ")",
                FrameDescriptor.headerProblem(37, FrameDescriptor.TYPE_MESSAGE, 3, 0, 0, ring));
        assertEquals("bad frame header: metaLength=36 for length=37",
                FrameDescriptor.headerProblem(37, FrameDescriptor.TYPE_MESSAGE, 36, 1, 0, ring));
        assertNull(FrameDescriptor.headerProblem(37, FrameDescriptor.TYPE_MESSAGE, 3, 1, 0, ring));
    }

    @Test
    void indexLayout() {
        assertEquals(FILE_HEADER_LENGTH, IndexDescriptor.slotOffset(0, 64, 0));
        assertEquals(FILE_HEADER_LENGTH + 5 * 16, IndexDescriptor.slotOffset(5, 64, 0));
        assertEquals(FILE_HEADER_LENGTH + 5 * 16, IndexDescriptor.slotOffset(69, 64, 0), "seq 69 collides with seq 5");
        assertEquals(8192, IndexDescriptor.ringOffset(64), "64 slots = 1 KiB, rounded up to the next page");
        assertEquals(8192, IndexDescriptor.ringOffset(256));
        assertEquals(12288, IndexDescriptor.ringOffset(257));
        assertEquals(IndexDescriptor.MIN_CAPACITY, IndexDescriptor.defaultCapacity(PoolOptions.MIN_SIZE / 8));
        assertEquals(PoolOptions.MIN_SIZE / IndexDescriptor.DEFAULT_BYTES_PER_SLOT,
                IndexDescriptor.defaultCapacity(PoolOptions.MIN_SIZE));
        assertEquals(PoolOptions.DEFAULT_SIZE / IndexDescriptor.DEFAULT_BYTES_PER_SLOT,
                IndexDescriptor.defaultCapacity(PoolOptions.DEFAULT_SIZE));
        assertEquals(0, IndexDescriptor.POSITION_OFFSET % 8);
    }

    @Test
    void createdPoolMatchesTheLayout() throws IOException {
        Path file = dir.resolve("p.pool");
        try (Pool pool = Pool.create(file, new PoolOptions(PoolOptions.MIN_SIZE, 100))) {
            PoolInfo info = pool.info();
            assertEquals(PoolOptions.MIN_SIZE, info.fileSize());
            assertEquals(100, info.indexCapacity());
            assertEquals(PoolOptions.MIN_SIZE - IndexDescriptor.ringOffset(100), info.ringCapacity());
            assertEquals(0, info.ringCapacity() % FrameDescriptor.ALIGNMENT);
            assertEquals(32, pool.id().length());
        }
        ByteBuffer h = readHeader(file);
        assertEquals(HeaderDescriptor.MAGIC, h.getLong(HeaderDescriptor.MAGIC_OFFSET));
        assertEquals(HeaderDescriptor.VERSION_ONE_SEGMENT, h.getInt(HeaderDescriptor.VERSION_OFFSET));
        assertEquals(FILE_HEADER_LENGTH, h.getInt(HeaderDescriptor.HEADER_LENGTH_OFFSET));
        assertEquals(PoolOptions.MIN_SIZE, h.getLong(HeaderDescriptor.FILE_SIZE_OFFSET));
        assertEquals(FILE_HEADER_LENGTH, h.getLong(HeaderDescriptor.INDEX_OFFSET_OFFSET));
        assertEquals(100, h.getLong(HeaderDescriptor.INDEX_CAPACITY_OFFSET));
        assertEquals(IndexDescriptor.ringOffset(100), h.getLong(HeaderDescriptor.RING_OFFSET_OFFSET));
        assertEquals(1, h.getLong(HeaderDescriptor.NEXT_SEQ_OFFSET));
        assertEquals(0, h.getLong(HeaderDescriptor.TAIL_OFFSET));
        assertEquals(0, h.getLong(HeaderDescriptor.HEAD_OFFSET));
        assertEquals(0, h.getLong(HeaderDescriptor.LOCK_OFFSET), "no append, no lock");
        HeaderDescriptor.checkHeader(h, PoolOptions.MIN_SIZE, file);

        try (Pool pool = Pool.open(file)) {
            pool.append(Draft.of("{\"k\":\"v\"}", "t"));
        }
        h = read(file, 0, (int) IndexDescriptor.ringOffset(100));
        assertEquals(0, h.getLong(HeaderDescriptor.LOCK_OFFSET), "the lock word is released after an append");
        int meta = 2 + 2 + 1 + 1;
        int length = FrameDescriptor.FRAME_HEADER_LENGTH + meta + "{\"k\":\"v\"}".length();
        assertEquals(FrameDescriptor.align(length), h.getLong(HeaderDescriptor.TAIL_OFFSET));
        assertEquals(2, h.getLong(HeaderDescriptor.NEXT_SEQ_OFFSET));
        assertEquals(1, h.getLong(HeaderDescriptor.COUNT_OFFSET));
        assertEquals(1, h.getLong(HeaderDescriptor.LAST_SEQ_OFFSET));
        assertEquals(1, h.getLong(HeaderDescriptor.HEAD_SEQ_OFFSET));
        assertEquals(1, h.getLong(IndexDescriptor.slotOffset(1, 100, 0) + IndexDescriptor.SEQ_OFFSET));
        assertEquals(0, h.getLong(IndexDescriptor.slotOffset(1, 100, 0) + IndexDescriptor.POSITION_OFFSET));

        ByteBuffer frame = read(file, IndexDescriptor.ringOffset(100), 64);
        assertEquals(length, frame.getInt(FrameDescriptor.LENGTH_OFFSET));
        assertEquals(FrameDescriptor.TYPE_MESSAGE, frame.getInt(FrameDescriptor.TYPE_OFFSET));
        assertEquals(1, frame.getLong(FrameDescriptor.SEQ_OFFSET));
        assertEquals(meta, frame.getInt(FrameDescriptor.META_LENGTH_OFFSET));
        assertEquals(1, frame.get(32), "one tag");
        assertEquals('t', frame.get(32 + 4));
        assertEquals(0, frame.get(32 + 5), "no origin");
        assertEquals('{', frame.get(32 + meta));
    }

    @Test
    void checkHeaderMessagesNameTheField() {
        Path p = dir.resolve("x.pool");
        ByteBuffer h = validHeader();
        HeaderDescriptor.checkHeader(h, PoolOptions.MIN_SIZE, p);

        assertCorrupt("file size=100 is smaller than the header length=4096",
                () -> HeaderDescriptor.checkHeader(validHeader(), 100, p));
        ByteBuffer zero = ByteBuffer.allocate(FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        assertCorrupt("magic=0x0 expected=0x4c4f4f504b434f52 (zeroed header)",
                () -> HeaderDescriptor.checkHeader(zero, PoolOptions.MIN_SIZE, p));
        PoolException v = assertThrows(PoolException.class, () -> HeaderDescriptor.checkHeader(
                validHeader().putInt(HeaderDescriptor.VERSION_OFFSET, 7), PoolOptions.MIN_SIZE, p));
        assertEquals(ErrorKind.USAGE, v.kind());
        assertTrue(v.getMessage().contains("version=7") && v.getMessage().contains("version=1"), v.getMessage());
        assertCorrupt("headerLength=5",
                () -> HeaderDescriptor.checkHeader(validHeader().putInt(HeaderDescriptor.HEADER_LENGTH_OFFSET, 5),
                        PoolOptions.MIN_SIZE, p));
        assertCorrupt("fileSize=65536 but the file has 70000 bytes",
                () -> HeaderDescriptor.checkHeader(validHeader(), 70000, p));
        assertCorrupt("indexOffset=8",
                () -> HeaderDescriptor.checkHeader(validHeader().putLong(HeaderDescriptor.INDEX_OFFSET_OFFSET, 8),
                        PoolOptions.MIN_SIZE, p));
        assertCorrupt("indexCapacity=0",
                () -> HeaderDescriptor.checkHeader(validHeader().putLong(HeaderDescriptor.INDEX_CAPACITY_OFFSET, 0),
                        PoolOptions.MIN_SIZE, p));
        assertCorrupt("ringOffset=4096 expected=8192",
                () -> HeaderDescriptor.checkHeader(validHeader().putLong(HeaderDescriptor.RING_OFFSET_OFFSET, 4096),
                        PoolOptions.MIN_SIZE, p));
        assertCorrupt("ringCapacity=1000000 ringOffset=8192 fileSize=65536",
                () -> HeaderDescriptor.checkHeader(validHeader().putLong(HeaderDescriptor.RING_CAPACITY_OFFSET,
                        1_000_000), PoolOptions.MIN_SIZE, p));
        assertCorrupt("ringCapacity=1001 ",
                () -> HeaderDescriptor.checkHeader(validHeader().putLong(HeaderDescriptor.RING_CAPACITY_OFFSET,
                        1001), PoolOptions.MIN_SIZE, p));
    }

    @Test
    void checkStateMessagesNameTheField() {
        Path p = dir.resolve("x.pool");
        HeaderDescriptor.checkState(0, 0, 1, 1024, false, p);
        HeaderDescriptor.checkState(4096, 4096 + 1024, 99, 1024, false, p);
        // A writer died after dropping everything: repairable, but only while a writer is inside an append.
        HeaderDescriptor.checkState(8192, 4096, 99, 1024, true, p);
        assertCorrupt("head=8192 is past tail=4096 while no writer is inside an append",
                () -> HeaderDescriptor.checkState(8192, 4096, 99, 1024, false, p));
        assertCorrupt("tail=2048 is more than ringCapacity=1024 ahead of head=0",
                () -> HeaderDescriptor.checkState(0, 2048, 1, 1024, false, p));
        assertCorrupt("head=-8 is not a position", () -> HeaderDescriptor.checkState(-8, 0, 1, 1024, false, p));
        assertCorrupt("tail=-8 is not a position", () -> HeaderDescriptor.checkState(0, -8, 1, 1024, false, p));
        assertCorrupt("tail=12 is not a position", () -> HeaderDescriptor.checkState(0, 12, 1, 1024, false, p));
        long far = HeaderDescriptor.MAX_POSITION + 8;
        assertCorrupt("head=" + far, () -> HeaderDescriptor.checkState(far, far, 1, 1024, true, p));
        assertCorrupt("nextSeq=0", () -> HeaderDescriptor.checkState(0, 0, 0, 1024, false, p));
        assertCorrupt("nextSeq=" + Long.MAX_VALUE,
                () -> HeaderDescriptor.checkState(0, 0, Long.MAX_VALUE, 1024, false, p));
    }

    @Test
    void consistentStateIsWhatPublishAndRecoveryLeave() {
        assertTrue(HeaderDescriptor.isConsistent(0, 0, 1, 0, 1, 0, 1024), "a new pool");
        assertTrue(HeaderDescriptor.isConsistent(0, 400, 11, 10, 1, 10, 1024), "ten messages of 40 bytes");
        assertTrue(HeaderDescriptor.isConsistent(800, 800, 21, 0, 21, 20, 1024), "every message dropped");
        assertFalse(HeaderDescriptor.isConsistent(0, 400, 11, 11, 1, 10, 1024), "more messages than fit");
        assertFalse(HeaderDescriptor.isConsistent(0, 400, 11, -1, 1, 10, 1024), "negative count");
        assertFalse(HeaderDescriptor.isConsistent(0, 400, 10, 10, 1, 10, 1024), "next seq not above last seq");
        assertFalse(HeaderDescriptor.isConsistent(0, 400, 11, 10, 0, 10, 1024), "head seq 0");
        assertFalse(HeaderDescriptor.isConsistent(0, 400, 11, 10, 11, 10, 1024), "head seq past last seq");
        assertFalse(HeaderDescriptor.isConsistent(0, 0, 5, 0, 1, 4, 1024), "empty but head seq behind");
        assertFalse(HeaderDescriptor.isConsistent(408, 400, 11, 0, 11, 10, 1024), "head past tail");
        assertFalse(HeaderDescriptor.isConsistent(0, 0, 1, Long.MAX_VALUE, 1, 0, 1024), "a count that overflows");
    }

    @Test
    void lockTokens() {
        assertFalse(HeaderDescriptor.isLockToken(0), "free");
        assertTrue(HeaderDescriptor.isLockToken(WriterLock.OWN_TOKEN));
        assertTrue(HeaderDescriptor.isLockToken(WriterLock.tokenOf(1, 0)));
        for (long word : new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE, HeaderDescriptor.MAX_LOCK_WORD,
                1L << WriterLock.PID_BITS}) {
            assertFalse(HeaderDescriptor.isLockToken(word), Long.toHexString(word));
        }
    }

    private static void assertCorrupt(String expected, org.junit.jupiter.api.function.Executable check) {
        PoolException e = assertThrows(PoolException.class, check);
        assertEquals(ErrorKind.CORRUPT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' lacks '" + expected + "'");
        assertTrue(e.offset() != null, "offset of the bad field");
    }

    private static ByteBuffer validHeader() {
        ByteBuffer h = ByteBuffer.allocate(FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(HeaderDescriptor.MAGIC_OFFSET, HeaderDescriptor.MAGIC);
        h.putInt(HeaderDescriptor.VERSION_OFFSET, HeaderDescriptor.VERSION_ONE_SEGMENT);
        h.putInt(HeaderDescriptor.HEADER_LENGTH_OFFSET, FILE_HEADER_LENGTH);
        h.putLong(HeaderDescriptor.FILE_SIZE_OFFSET, PoolOptions.MIN_SIZE);
        h.putLong(HeaderDescriptor.INDEX_OFFSET_OFFSET, FILE_HEADER_LENGTH);
        h.putLong(HeaderDescriptor.INDEX_CAPACITY_OFFSET, 256);
        h.putLong(HeaderDescriptor.RING_OFFSET_OFFSET, 8192);
        h.putLong(HeaderDescriptor.RING_CAPACITY_OFFSET, PoolOptions.MIN_SIZE - 8192);
        return h;
    }

    static ByteBuffer readHeader(Path file) throws IOException {
        return read(file, 0, FILE_HEADER_LENGTH);
    }

    static ByteBuffer read(Path file, long offset, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
                // until full
            }
            return b;
        }
    }
}
