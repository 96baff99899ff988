package dev.rockpool.pool;

/**
 * Layout of the seq index: {@code indexCapacity} slots of {@link #SLOT_LENGTH} bytes right after the header. Seq
 * {@code s} lives in slot {@code s % indexCapacity}. A slot is a hint, never trusted: a reader checks that the frame
 * it points at is inside {@code [head, tail)} and carries the wanted seq, and falls back to a scan otherwise.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                        seq (long)                             | 0
 *  |                 logical frame position (long)                 | 8
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class IndexDescriptor {
    /** Bytes per slot. */
    public static final int SLOT_LENGTH = 16;
    /** long: the seq the slot was last written for (0 = never). */
    public static final int SEQ_OFFSET = 0;
    /** long: the logical ring position of that seq's frame. */
    public static final int POSITION_OFFSET = 8;
    /**
     * Default slots: one per this many bytes of file, so every message of a full pool has its own slot when messages
     * take at least this much with their frame header (96 data bytes). Smaller messages share slots and the oldest
     * fall back to a scan. The index is then 1/8 of the file.
     */
    public static final int DEFAULT_BYTES_PER_SLOT = 128;
    /** Fewest slots a pool gets. */
    public static final int MIN_CAPACITY = 64;
    /**
     * Most slots: the page-aligned end of the index stays below 2^31, so slot offsets are ints and header and index
     * fit one mapping. A header naming more is Corrupt before anything is mapped.
     */
    public static final long MAX_CAPACITY =
            (Integer.MAX_VALUE - HeaderDescriptor.FILE_HEADER_LENGTH - 4095L) / SLOT_LENGTH;

    private IndexDescriptor() {
    }

    /** File offset of the slot for {@code seq} (at least 1) in an index of at most {@link #MAX_CAPACITY} slots. */
    public static int slotOffset(long seq, long indexCapacity) {
        return slotOffsetAt(seq % indexCapacity);
    }

    /** File offset of slot number {@code slot} (0 to {@link #MAX_CAPACITY} - 1). */
    public static int slotOffsetAt(long slot) {
        return (int) (HeaderDescriptor.FILE_HEADER_LENGTH + slot * SLOT_LENGTH);
    }

    /** Where the ring starts for an index of this capacity: page-aligned after the index. */
    public static long ringOffset(long indexCapacity) {
        long end = HeaderDescriptor.FILE_HEADER_LENGTH + indexCapacity * SLOT_LENGTH;
        return (end + 4095) & ~4095L;
    }

    /** The default capacity for a pool file of {@code fileSize} bytes. */
    public static long defaultCapacity(long fileSize) {
        return Math.max(MIN_CAPACITY, fileSize / DEFAULT_BYTES_PER_SLOT);
    }
}
