package dev.rockpool.pool;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Layout of the pool file header: the first {@link #FILE_HEADER_LENGTH} bytes of every pool file. All fields
 * little-endian; every field that is read while writers run is 8-byte aligned and accessed through a VarHandle.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    magic "ROCKPOOL" (8 bytes)                 |  0
 *  +-------------------------------+-------------------------------+
 *  |        format version         |         header length         |  8
 *  +-------------------------------+-------------------------------+
 *  |                          file size                            | 16
 *  |                         index offset                          | 24
 *  |                        index capacity                         | 32
 *  |                          ring offset                          | 40
 *  |                         ring capacity                         | 48
 *  |                    pool id (16 random bytes)                  | 56
 *  |                        created (ns)                           | 72
 *  +-------------------------------+-------------------------------+
 *  | segment shift (version 2)     | index stride shift (version 2)|  80
 *  +-------------------------------+-------------------------------+
 *  |   writer lock word: start ticks << 22 | owner pid, 0 if free   | 128  (own cache line)
 *  +---------------------------------------------------------------+
 *  |          tail position (commit word, release-stored)          | 192  (own cache line)
 *  |          head position (oldest frame)                         | 200
 *  |          next seq                                             | 208
 *  |          message count                                        | 216
 *  |          last (newest) frame position                         | 224
 *  |          last seq                                             | 232
 *  |          last time (ns)                                       | 240
 *  |          head seq                                             | 248
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Positions are logical byte positions in the ring that only grow; the physical offset is
 * {@code position % ringCapacity}. Everything in {@code [head, tail)} is committed; {@code head} and {@code tail}
 * alone define the pool's content, the other state fields are derived from them and recomputed by crash recovery.
 *
 * <p>Two format versions share this layout. {@link #VERSION_ONE_SEGMENT} is every pool whose ring is one mapping below
 * 2^31 bytes with an index slot per seq: all pools older builds made, and every pool of up to 2 GiB still.
 * {@link #VERSION_SEGMENTED} is written only for the pools that need it, larger ones: the ring is mapped in segments of
 * 2^{@code segmentShift} bytes that no frame straddles, and the index has a slot per 2^{@code indexStrideShift}
 * seqs. Older builds refuse it, naming both versions.
 */
public final class HeaderDescriptor {
    /** {@code "ROCKPOOL"} read as a little-endian long. */
    public static final long MAGIC = 0x4C4F4F504B434F52L;
    /**
     * Format version 1: the ring is one mapping (below 2^31 bytes) and the index has a slot for every seq. Written for
     * every pool of up to 2 GiB, so that older builds read it.
     */
    public static final int VERSION_ONE_SEGMENT = 1;
    /**
     * Format version 2: the ring is mapped in segments ({@link #SEGMENT_SHIFT_OFFSET}) and the index has a slot per
     * stride of seqs ({@link #INDEX_STRIDE_SHIFT_OFFSET}). Written only for pools larger than 2 GiB.
     */
    public static final int VERSION_SEGMENTED = 2;
    /** The newest format version this engine reads and writes; it reads every version from 1. */
    public static final int FORMAT_VERSION = VERSION_SEGMENTED;
    /**
     * Bytes of the file header at the start of every pool file: one page, so the index and ring start page-aligned.
     * (Each frame in the ring has its own, much smaller header: {@link FrameDescriptor#FRAME_HEADER_LENGTH}.)
     */
    public static final int FILE_HEADER_LENGTH = 4096;

    /** long: {@link #MAGIC}. */
    public static final int MAGIC_OFFSET = 0;
    /** int: the format version. */
    public static final int VERSION_OFFSET = 8;
    /** int: {@link #FILE_HEADER_LENGTH}. */
    public static final int HEADER_LENGTH_OFFSET = 12;
    /** long: the file size the pool was created with; checked against the real size before mapping. */
    public static final int FILE_SIZE_OFFSET = 16;
    /** long: where the seq index starts in the file. */
    public static final int INDEX_OFFSET_OFFSET = 24;
    /** long: number of index slots. */
    public static final int INDEX_CAPACITY_OFFSET = 32;
    /** long: where the ring starts in the file. */
    public static final int RING_OFFSET_OFFSET = 40;
    /** long: ring size in bytes, a multiple of {@link FrameDescriptor#ALIGNMENT}. */
    public static final int RING_CAPACITY_OFFSET = 48;
    /** 16 bytes: random identity of this pool file, new for each create (detects delete-and-recreate). */
    public static final int POOL_ID_OFFSET = 56;
    /** long: creation time, ns since the epoch. */
    public static final int CREATED_OFFSET = 72;
    /**
     * int, version 2 only (0 in version 1): ring segments are 2^this bytes ({@link #MIN_SEGMENT_SHIFT} to
     * {@link #MAX_SEGMENT_SHIFT}); segment k is mapped from ring offset k × 2^this, the last one to the ring's end.
     */
    public static final int SEGMENT_SHIFT_OFFSET = 80;
    /**
     * int, version 2 only (0 in version 1, where every seq has a slot): the index has a slot for every 2^this-th seq
     * (0 to {@link IndexDescriptor#MAX_STRIDE_SHIFT}); see {@link IndexDescriptor}.
     */
    public static final int INDEX_STRIDE_SHIFT_OFFSET = 84;

    /** Smallest ring segment: 4 KiB, a page, so every segment is mapped from a page-aligned file offset. */
    public static final int MIN_SEGMENT_SHIFT = 12;
    /** Largest ring segment, and the one large pools get: 1 GiB, well inside one {@code MappedByteBuffer}. */
    public static final int MAX_SEGMENT_SHIFT = 30;
    /**
     * Most ring segments a pool may have: each is a mapping, and a process may hold about 65,000 (Linux's
     * {@code vm.max_map_count}); 4096 segments of 1 GiB are 4 TiB.
     */
    public static final long MAX_SEGMENTS = 4096;
    /** The segment shift of a version-1 pool: its ring is one segment, below 2^31 bytes. */
    public static final int ONE_SEGMENT_SHIFT = 31;

    /** long: the cross-process writer lock word, 0 when free (see {@link WriterLock}). */
    public static final int LOCK_OFFSET = 128;
    /** Low bits of a lock word holding its owner's pid; the owner's start time (clock ticks since boot) is above. */
    public static final int LOCK_PID_BITS = 22;
    /**
     * Lock words of live writers are below this (start times below 2^39 ticks: 174 years of uptime at 100 Hz), so the
     * owner's liveness byte at 2^62 + word (see {@link SharedChannel}) is a valid file position. Anything else in the
     * lock word is damage: no writer can hold it, and the next writer takes it over as from a dead one.
     */
    public static final long MAX_LOCK_WORD = 1L << 61;

    /** long: logical end of committed frames; stored last, with release semantics, to publish appends. */
    public static final int TAIL_OFFSET = 192;
    /** long: logical position of the oldest frame; advanced (then fenced) before its bytes are overwritten. */
    public static final int HEAD_OFFSET = 200;
    /** long: the seq the next append gets. */
    public static final int NEXT_SEQ_OFFSET = 208;
    /** long: number of messages in {@code [head, tail)}. */
    public static final int COUNT_OFFSET = 216;
    /** long: logical position of the newest frame (valid when count &gt; 0). */
    public static final int LAST_POSITION_OFFSET = 224;
    /** long: seq of the newest message (0 when none was ever written). */
    public static final int LAST_SEQ_OFFSET = 232;
    /** long: time of the newest message; appends never take an earlier time, so time grows with seq. */
    public static final int LAST_TIME_OFFSET = 240;
    /** long: seq of the oldest message (equals next seq when empty). */
    public static final int HEAD_SEQ_OFFSET = 248;

    /**
     * Positions are at most this: 2^62 bytes take 146 years at 1 GB/s, and a position plus a frame length or a ring
     * capacity never overflows a long.
     */
    public static final long MAX_POSITION = 1L << 62;
    /** Seqs are below this (2^62 appends take 146 years at 10^9 per second), so seq arithmetic never overflows. */
    public static final long MAX_SEQ = 1L << 62;

    private HeaderDescriptor() {
    }

    /**
     * Validates a header read from a file of {@code actualSize} bytes, before anything is mapped.
     *
     * @throws PoolException Corrupt for a foreign, zeroed or truncated file; Usage for another format version
     */
    public static void checkHeader(ByteBuffer header, long actualSize, Path path) {
        if (actualSize < FILE_HEADER_LENGTH) {
            throw PoolException.corrupt(path, 0, "not a pool: file size=" + actualSize
                    + " is smaller than the header length=" + FILE_HEADER_LENGTH);
        }
        long magic = header.getLong(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw PoolException.corrupt(path, MAGIC_OFFSET, "not a pool: magic=0x" + Long.toHexString(magic)
                    + " expected=0x" + Long.toHexString(MAGIC) + (magic == 0 ? " (zeroed header)" : ""));
        }
        int version = header.getInt(VERSION_OFFSET);
        if (version != VERSION_ONE_SEGMENT && version != VERSION_SEGMENTED) {
            throw new PoolException(ErrorKind.USAGE, "unsupported pool format version=" + version
                    + ": this rockpool reads version=" + VERSION_ONE_SEGMENT + " and version=" + VERSION_SEGMENTED,
                    path, null, (long) VERSION_OFFSET, version > FORMAT_VERSION ? "upgrade rockpool to read this pool"
                            : null, null);
        }
        check(header.getInt(HEADER_LENGTH_OFFSET) == FILE_HEADER_LENGTH, path, HEADER_LENGTH_OFFSET,
                "headerLength=" + header.getInt(HEADER_LENGTH_OFFSET) + " expected=" + FILE_HEADER_LENGTH);
        long fileSize = header.getLong(FILE_SIZE_OFFSET);
        check(fileSize == actualSize, path, FILE_SIZE_OFFSET,
                "fileSize=" + fileSize + " but the file has " + actualSize + " bytes (truncated or extended)");
        long indexOffset = header.getLong(INDEX_OFFSET_OFFSET);
        long indexCapacity = header.getLong(INDEX_CAPACITY_OFFSET);
        long ringOffset = header.getLong(RING_OFFSET_OFFSET);
        long ringCapacity = header.getLong(RING_CAPACITY_OFFSET);
        check(indexOffset == FILE_HEADER_LENGTH, path, INDEX_OFFSET_OFFSET, "indexOffset=" + indexOffset);
        check(indexCapacity > 0 && indexCapacity <= IndexDescriptor.MAX_CAPACITY, path, INDEX_CAPACITY_OFFSET,
                "indexCapacity=" + indexCapacity + " (1 to " + IndexDescriptor.MAX_CAPACITY + ")");
        check(ringOffset == IndexDescriptor.ringOffset(indexCapacity), path, RING_OFFSET_OFFSET,
                "ringOffset=" + ringOffset + " expected=" + IndexDescriptor.ringOffset(indexCapacity));
        check(ringCapacity >= FrameDescriptor.FRAME_HEADER_LENGTH * 2 && ringCapacity % FrameDescriptor.ALIGNMENT == 0
                        && ringCapacity <= fileSize - ringOffset
                        && (version == VERSION_SEGMENTED || ringCapacity <= Integer.MAX_VALUE),
                path, RING_CAPACITY_OFFSET, "ringCapacity=" + ringCapacity + " ringOffset=" + ringOffset
                        + " fileSize=" + fileSize);
        if (version == VERSION_SEGMENTED) {
            checkSegmented(header, ringCapacity, path);
        }
    }

    /** The fields only version 2 has: segments that can be mapped, an index stride in range. */
    private static void checkSegmented(ByteBuffer header, long ringCapacity, Path path) {
        int segmentShift = header.getInt(SEGMENT_SHIFT_OFFSET);
        check(segmentShift >= MIN_SEGMENT_SHIFT && segmentShift <= MAX_SEGMENT_SHIFT
                        && ((ringCapacity - 1) >>> segmentShift) < MAX_SEGMENTS, path, SEGMENT_SHIFT_OFFSET,
                "segmentShift=" + segmentShift + " ringCapacity=" + ringCapacity + " (segments of 2^"
                        + MIN_SEGMENT_SHIFT + " to 2^" + MAX_SEGMENT_SHIFT + " bytes, at most " + MAX_SEGMENTS + ")");
        int strideShift = header.getInt(INDEX_STRIDE_SHIFT_OFFSET);
        check(strideShift >= 0 && strideShift <= IndexDescriptor.MAX_STRIDE_SHIFT, path, INDEX_STRIDE_SHIFT_OFFSET,
                "indexStrideShift=" + strideShift + " (0 to " + IndexDescriptor.MAX_STRIDE_SHIFT + ")");
    }

    /**
     * Validates the state a reader or writer relies on: head and tail are positions (0 to {@link #MAX_POSITION},
     * multiples of {@link FrameDescriptor#ALIGNMENT}) at most a ring apart, next seq is 1 to {@link #MAX_SEQ}. Head may
     * be beyond tail only while a writer is inside an append: one that had to drop every message moves head to where
     * its new frame starts before it publishes the tail, and if it dies in between, that is the state it leaves (the
     * next writer sets tail to head). With the lock word free, no writer left it: it is damage.
     *
     * @param appendInProgress true if a writer held the lock (alive or dead) when the fields were loaded
     * @throws PoolException Corrupt naming the field and value
     */
    public static void checkState(long head, long tail, long nextSeq, long ringCapacity, boolean appendInProgress,
                                  Path path) {
        check(isPosition(head), path, HEAD_OFFSET, "head=" + head + " is not a position (0 to " + MAX_POSITION
                + ", a multiple of " + FrameDescriptor.ALIGNMENT + "; not 8-byte aligned or out of range)");
        check(isPosition(tail), path, TAIL_OFFSET, "tail=" + tail + " is not a position (0 to " + MAX_POSITION
                + ", a multiple of " + FrameDescriptor.ALIGNMENT + "; not 8-byte aligned or out of range)");
        check(tail - head <= ringCapacity, path, TAIL_OFFSET, "tail=" + tail + " is more than ringCapacity="
                + ringCapacity + " ahead of head=" + head);
        check(head <= tail || appendInProgress, path, HEAD_OFFSET, "head=" + head + " is past tail=" + tail
                + " while no writer is inside an append (the lock word is free): not a state a crash leaves");
        check(nextSeq >= 1 && nextSeq <= MAX_SEQ, path, NEXT_SEQ_OFFSET, "nextSeq=" + nextSeq + " (1 to "
                + MAX_SEQ + ")");
    }

    /**
     * True if the state a writer loads under the lock holds together: what {@link #checkState} requires with no
     * append in progress, and the fields derived from the frames agree with head, tail and next seq as every publish
     * and every recovery leaves them: {@code 0 <= lastSeq < nextSeq}; an empty pool has {@code headSeq == nextSeq},
     * another {@code 1 <= headSeq <= lastSeq}; {@code count} is 0 to the frames that fit in {@code [head, tail)}.
     * Cheap comparisons only: it runs before every append. False sends the writer to {@link #checkState}, then to
     * crash recovery, which recomputes the derived fields from the frames.
     */
    public static boolean isConsistent(long head, long tail, long nextSeq, long count, long headSeq, long lastSeq,
                                       long ringCapacity) {
        return isPosition(head) && isPosition(tail) && head <= tail && tail - head <= ringCapacity
                && nextSeq >= 1 && nextSeq <= MAX_SEQ && lastSeq >= 0 && lastSeq < nextSeq
                && count >= 0 && count <= ringCapacity && count * FrameDescriptor.MIN_FRAME_SPAN <= tail - head
                && (count == 0 ? headSeq == nextSeq : headSeq >= 1 && headSeq <= lastSeq);
    }

    /** True if {@code word} may be a live writer's token: 0 (free) and anything else are not. */
    public static boolean isLockToken(long word) {
        return word > 0 && word < MAX_LOCK_WORD && (word & ((1L << LOCK_PID_BITS) - 1)) != 0;
    }

    private static boolean isPosition(long position) {
        return position >= 0 && position <= MAX_POSITION && position % FrameDescriptor.ALIGNMENT == 0;
    }

    private static void check(boolean ok, Path path, long offset, String message) {
        if (!ok) {
            throw PoolException.corrupt(path, offset, "bad pool header: " + message);
        }
    }
}
