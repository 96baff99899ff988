package dev.rockpool.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;

import static dev.rockpool.pool.FrameDescriptor.FRAME_HEADER_LENGTH;

/**
 * Typed access to a mapped pool: the header and index mapping and the ring mapping. The only class besides the
 * descriptors that knows offsets, and the only one that uses VarHandles: release stores publish, acquire loads
 * observe, plain accesses are used where the writer lock or a later validation makes them safe.
 */
final class PoolMapping {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    final Path path;
    final MappedByteBuffer meta;
    final MappedByteBuffer ring;
    final long ringOffset;
    final long ringCapacity;
    final long indexCapacity;
    /** The pool id, formatted once: it is fixed at create, and callers (the source connector) ask per message. */
    private final String poolId;

    PoolMapping(Path path, MappedByteBuffer meta, MappedByteBuffer ring, long ringOffset, long ringCapacity,
                long indexCapacity) {
        this.path = path;
        meta.order(ByteOrder.LITTLE_ENDIAN);
        this.meta = meta;
        ring.order(ByteOrder.LITTLE_ENDIAN);
        this.ring = ring;
        this.ringOffset = ringOffset;
        this.ringCapacity = ringCapacity;
        this.indexCapacity = indexCapacity;
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

    long slotSeq(long seq) {
        return meta.getLong(IndexDescriptor.slotOffset(seq, indexCapacity) + IndexDescriptor.SEQ_OFFSET);
    }

    long slotPosition(long seq) {
        return meta.getLong(IndexDescriptor.slotOffset(seq, indexCapacity) + IndexDescriptor.POSITION_OFFSET);
    }

    void putSlot(long seq, long position) {
        int slot = IndexDescriptor.slotOffset(seq, indexCapacity);
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
    int physical(long position) {
        long offset = position % ringCapacity;
        return (int) (offset < 0 ? offset + ringCapacity : offset);
    }

    /** The file offset of a physical ring offset: where errors say a frame is. */
    long fileOffset(long physical) {
        return ringOffset + physical;
    }

    /** Bytes from {@code position} to the physical end of the ring. */
    int remaining(long position) {
        return (int) (ringCapacity - physical(position));
    }

    /** Frame length in the low int, CRC in the high int: one read for both (they are adjacent, little-endian). */
    long frameLengthAndCrc(int physical) {
        return ring.getLong(physical + FrameDescriptor.LENGTH_OFFSET);
    }

    /** Frame type in the low int, meta length in the high int. */
    long frameTypeAndMetaLength(int physical) {
        return ring.getLong(physical + FrameDescriptor.TYPE_OFFSET);
    }

    int frameLength(int physical) {
        return ring.getInt(physical + FrameDescriptor.LENGTH_OFFSET);
    }

    int frameType(int physical) {
        return ring.getInt(physical + FrameDescriptor.TYPE_OFFSET);
    }

    long frameSeq(int physical) {
        return ring.getLong(physical + FrameDescriptor.SEQ_OFFSET);
    }

    long frameTime(int physical) {
        return ring.getLong(physical + FrameDescriptor.TIME_OFFSET);
    }

    int frameCrc(int physical) {
        return ring.getInt(physical + FrameDescriptor.CRC_OFFSET);
    }

    int frameMetaLength(int physical) {
        return ring.getInt(physical + FrameDescriptor.META_LENGTH_OFFSET);
    }

    /** Copies {@code length} payload bytes of the frame at {@code physical} into {@code dst[0..)}. */
    void copyPayload(int physical, byte[] dst, int length) {
        ring.get(physical + FRAME_HEADER_LENGTH, dst, 0, length);
    }

    /** Writes the header fields except the CRC, which is computed over them and the payload afterwards. */
    void putFrameHeader(int physical, int length, int type, long seq, long time, int metaLength) {
        ring.putInt(physical + FrameDescriptor.LENGTH_OFFSET, length);
        ring.putLong(physical + FrameDescriptor.SEQ_OFFSET, seq);
        ring.putLong(physical + FrameDescriptor.TIME_OFFSET, time);
        ring.putInt(physical + FrameDescriptor.TYPE_OFFSET, type);
        ring.putInt(physical + FrameDescriptor.META_LENGTH_OFFSET, metaLength);
    }

    void putPayload(int physical, int payloadOffset, byte[] src) {
        ring.put(physical + FRAME_HEADER_LENGTH + payloadOffset, src, 0, src.length);
    }

    /** An independent view of the ring (own position and limit) for bulk operations of one thread. */
    java.nio.ByteBuffer ringView() {
        return ring.duplicate();
    }

    void putFrameCrc(int physical, int crc) {
        ring.putInt(physical + FrameDescriptor.CRC_OFFSET, crc);
    }

    // ---- durability ----

    void forceRing(int physical, int length) {
        ring.force(physical, length);
    }

    void forceMeta(int offset, int length) {
        meta.force(offset, length);
    }
}
