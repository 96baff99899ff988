package dev.rockpool.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;

import static dev.rockpool.pool.FrameDescriptor.FRAME_HEADER_LENGTH;

/**
 * Typed access to a mapped pool: the header and index mapping and the ring's segment mappings. The only class besides
 * the descriptors that knows offsets, and the only one that uses VarHandles: release stores publish, acquire loads
 * observe, plain accesses are used where the writer lock or a later validation makes them safe.
 *
 * <p>The ring is addressed by physical offsets ({@code long}, 0 to ring capacity). Physical offset {@code p} is byte
 * {@code p & segmentMask} of segment {@code p >>> segmentShift} ({@link PoolLayout}): a pool of format version 1 has
 * one segment, the whole ring. No frame straddles two segments, so every access to a frame is one bounds-checked
 * access to one buffer.
 */
final class PoolMapping {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    final Path path;
    final PoolLayout layout;
    final MappedByteBuffer meta;
    private final MappedByteBuffer[] segments;
    private final int segmentShift;
    private final long segmentMask;
    final long ringOffset;
    final long ringCapacity;
    final long indexCapacity;
    /** A slot per 2^this seqs (see {@link IndexDescriptor}). */
    final int strideShift;
    /** The pool id, formatted once: it is fixed at create, and callers (the source connector) ask per message. */
    private final String poolId;

    PoolMapping(Path path, PoolLayout layout, MappedByteBuffer meta, MappedByteBuffer[] segments) {
        this.path = path;
        this.layout = layout;
        meta.order(ByteOrder.LITTLE_ENDIAN);
        this.meta = meta;
        for (MappedByteBuffer segment : segments) {
            segment.order(ByteOrder.LITTLE_ENDIAN);
        }
        this.segments = segments;
        this.segmentShift = layout.segmentShift();
        this.segmentMask = (1L << segmentShift) - 1;
        this.ringOffset = layout.ringOffset();
        this.ringCapacity = layout.ringCapacity();
        this.indexCapacity = layout.indexCapacity();
        this.strideShift = layout.strideShift();
        // HexFormat, not String.format: a Formatter loads the locale's number symbols, ~10 ms of a CLI command's start.
        HexFormat hex = HexFormat.of();
        this.poolId = hex.toHexDigits(meta.getLong(HeaderDescriptor.POOL_ID_OFFSET))
                + hex.toHexDigits(meta.getLong(HeaderDescriptor.POOL_ID_OFFSET + 8));
    }

    // ---- header: identity ----

    String poolId() {
        return poolId;
    }

    long createdNanos() {
        return meta.getLong(HeaderDescriptor.CREATED_OFFSET);
    }

    long fileSize() {
        return meta.getLong(HeaderDescriptor.FILE_SIZE_OFFSET);
    }

    // ---- header: state published to readers ----

    long tailAcquire() {
        return (long) LONGS.getAcquire(meta, HeaderDescriptor.TAIL_OFFSET);
    }

    /** Publishes every frame below {@code tail}: all earlier stores become visible first. */
    void tailRelease(long tail) {
        LONGS.setRelease(meta, HeaderDescriptor.TAIL_OFFSET, tail);
    }

    long headAcquire() {
        return (long) LONGS.getAcquire(meta, HeaderDescriptor.HEAD_OFFSET);
    }

    /**
     * Re-reads head after the reads of a frame, ordered after them: a reader that copied a frame at a position below
     * the returned head may have copied bytes a writer was overwriting.
     */
    long headAfterReads() {
        VarHandle.loadLoadFence();
        return (long) LONGS.getAcquire(meta, HeaderDescriptor.HEAD_OFFSET);
    }

    /** Moves head forward before the writer overwrites the bytes below it; the fence orders it before those stores. */
    void headRelease(long head) {
        LONGS.setRelease(meta, HeaderDescriptor.HEAD_OFFSET, head);
        VarHandle.storeStoreFence();
    }

    long stateLong(int offset) {
        return (long) LONGS.getAcquire(meta, offset);
    }

    void putStateLong(int offset, long value) {
        LONGS.setRelease(meta, offset, value);
    }

    /**
     * Whether a writer may be inside an append, for a head and tail just loaded (tail first): it holds the lock word,
     * or it published a new tail since. Only then may head be past tail. Loaded in this order, a writer that moved
     * head and then published and released in between is still seen, by its new tail.
     */
    boolean appendInProgress(long head, long tail) {
        return head > tail && (lockWord() != 0 || tailAcquire() != tail);
    }

    // ---- header: the writer lock word ----

    long lockWord() {
        return (long) LONGS.getVolatile(meta, HeaderDescriptor.LOCK_OFFSET);
    }

    boolean casLockWord(long expected, long value) {
        return LONGS.compareAndSet(meta, HeaderDescriptor.LOCK_OFFSET, expected, value);
    }

    void releaseLockWord() {
        LONGS.setRelease(meta, HeaderDescriptor.LOCK_OFFSET, 0L);
    }

    // ---- index ----

    /** The seq the slot of {@code seq}'s group names. */
    long slotSeq(long seq) {
        return meta.getLong(IndexDescriptor.slotOffset(seq, indexCapacity, strideShift) + IndexDescriptor.SEQ_OFFSET);
    }

    /** The position the slot of {@code seq}'s group holds. */
    long slotPosition(long seq) {
        return meta.getLong(IndexDescriptor.slotOffset(seq, indexCapacity, strideShift)
                + IndexDescriptor.POSITION_OFFSET);
    }

    void putSlot(long seq, long position) {
        int slot = IndexDescriptor.slotOffset(seq, indexCapacity, strideShift);
        meta.putLong(slot + IndexDescriptor.POSITION_OFFSET, position);
        meta.putLong(slot + IndexDescriptor.SEQ_OFFSET, seq);
    }

    long slotSeqAt(long slot) {
        return meta.getLong(IndexDescriptor.slotOffsetAt(slot) + IndexDescriptor.SEQ_OFFSET);
    }

    long slotPositionAt(long slot) {
        return meta.getLong(IndexDescriptor.slotOffsetAt(slot) + IndexDescriptor.POSITION_OFFSET);
    }

    // ---- ring: frames ----

    /**
     * The physical offset of a logical position, always inside the ring: positions are checked on open and by the
     * writer, but one loaded while another process damages the header could be negative, and must still not reach a
     * buffer call outside the ring (its frame then fails the frame checks). One division, as before the check.
     */
    long physical(long position) {
        long offset = position % ringCapacity;
        return offset < 0 ? offset + ringCapacity : offset;
    }

    /** The file offset of a physical ring offset: where errors say a frame is. */
    long fileOffset(long physical) {
        return ringOffset + physical;
    }

    /**
     * The physical offset where the segment holding {@code physical} ends: no frame may reach past it. The ring's
     * capacity in the last segment (and in a ring of one segment).
     */
    long segmentEnd(long physical) {
        return Math.min((physical | segmentMask) + 1, ringCapacity);
    }

    /** The physical offset that follows {@code end}, the end of a frame or segment: 0 at the end of the ring. */
    long following(long end) {
        return end == ringCapacity ? 0 : end;
    }

    /** Bytes from {@code position} to the end of its segment. */
    long remaining(long position) {
        long physical = physical(position);
        return segmentEnd(physical) - physical;
    }

    private MappedByteBuffer segment(long physical) {
        return segments[(int) (physical >>> segmentShift)];
    }

    private int offset(long physical) {
        return (int) (physical & segmentMask);
    }

    /** Frame length in the low int, CRC in the high int: one read for both (they are adjacent, little-endian). */
    long frameLengthAndCrc(long physical) {
        return segment(physical).getLong(offset(physical) + FrameDescriptor.LENGTH_OFFSET);
    }

    /** Frame type in the low int, meta length in the high int. */
    long frameTypeAndMetaLength(long physical) {
        return segment(physical).getLong(offset(physical) + FrameDescriptor.TYPE_OFFSET);
    }

    int frameLength(long physical) {
        return segment(physical).getInt(offset(physical) + FrameDescriptor.LENGTH_OFFSET);
    }

    int frameType(long physical) {
        return segment(physical).getInt(offset(physical) + FrameDescriptor.TYPE_OFFSET);
    }

    long frameSeq(long physical) {
        return segment(physical).getLong(offset(physical) + FrameDescriptor.SEQ_OFFSET);
    }

    long frameTime(long physical) {
        return segment(physical).getLong(offset(physical) + FrameDescriptor.TIME_OFFSET);
    }

    int frameCrc(long physical) {
        return segment(physical).getInt(offset(physical) + FrameDescriptor.CRC_OFFSET);
    }

    int frameMetaLength(long physical) {
        return segment(physical).getInt(offset(physical) + FrameDescriptor.META_LENGTH_OFFSET);
    }

    /** Copies the first {@code length} payload bytes of the frame at {@code physical} into {@code dst[0..)}. */
    void copyPayload(long physical, byte[] dst, int length) {
        segment(physical).get(offset(physical) + FRAME_HEADER_LENGTH, dst, 0, length);
    }

    /** Writes the header fields except the CRC, which is computed over them and the payload afterwards. */
    void putFrameHeader(long physical, int length, int type, long seq, long time, int metaLength) {
        MappedByteBuffer segment = segment(physical);
        int offset = offset(physical);
        segment.putInt(offset + FrameDescriptor.LENGTH_OFFSET, length);
        segment.putLong(offset + FrameDescriptor.SEQ_OFFSET, seq);
        segment.putLong(offset + FrameDescriptor.TIME_OFFSET, time);
        segment.putInt(offset + FrameDescriptor.TYPE_OFFSET, type);
        segment.putInt(offset + FrameDescriptor.META_LENGTH_OFFSET, metaLength);
    }

    void putPayload(long physical, int payloadOffset, byte[] src) {
        segment(physical).put(offset(physical) + FRAME_HEADER_LENGTH + payloadOffset, src, 0, src.length);
    }

    void putFrameCrc(long physical, int crc) {
        segment(physical).putInt(offset(physical) + FrameDescriptor.CRC_OFFSET, crc);
    }

    /**
     * Views of the ring for bulk operations that take a {@code ByteBuffer} range (CRC32C, the data of an in-place
     * read): each segment's view is duplicated on first use and then reused, so one instance belongs to one thread.
     */
    Views views(boolean readOnly) {
        return new Views(readOnly);
    }

    /** Per-thread views of the ring's segments; see {@link #views}. */
    final class Views {
        private final ByteBuffer[] views = new ByteBuffer[segments.length];
        private final boolean readOnly;

        private Views(boolean readOnly) {
            this.readOnly = readOnly;
        }

        /** The {@code length} bytes at {@code physical} (inside one segment) as the position and limit of a view. */
        ByteBuffer range(long physical, int length) {
            int k = (int) (physical >>> segmentShift);
            ByteBuffer view = views[k];
            if (view == null) {
                view = readOnly ? segments[k].asReadOnlyBuffer() : segments[k].duplicate();
                views[k] = view.order(ByteOrder.LITTLE_ENDIAN);
            }
            int from = offset(physical);
            view.limit(from + length).position(from);
            return view;
        }
    }

    // ---- durability ----

    /** msync of the ring bytes in {@code [from, from + length)} (physical, no wrap), segment by segment. */
    void forceRing(long from, long length) {
        long end = from + length;
        while (from < end) {
            long to = Math.min(end, segmentEnd(from));
            segment(from).force(offset(from), (int) (to - from));
            from = to;
        }
    }

    void forceMeta(int offset, int length) {
        meta.force(offset, length);
    }
}
