package dev.rockpool.pool;

/**
 * Layout of the seq index: {@code indexCapacity} slots of {@link #SLOT_LENGTH} bytes right after the header. The
 * seqs are cut into groups of 2^{@code strideShift} (the stride: 1 in a version-1 pool, recorded in the header of a
 * version-2 one), and group {@code g} has slot {@code g % indexCapacity}. The writer fills a group's slot with the
 * group's first seq (a multiple of the stride) and where its frame is; a lookup of seq {@code s} reads the frames
 * forward from there: fewer than a stride of them. (A writer that finds the frames of its group unreadable from the
 * slot, or the first seq of the group gone, puts its own first seq in the slot instead: see {@code Pool}.)
 *
 * <p>A slot is a hint, never trusted: a reader checks that it names a seq of the wanted group, that the frame it
 * points at is inside {@code [head, tail)} and carries that seq, and falls back to a scan from head otherwise.
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
     * Default slots of a version-1 pool: one per this many bytes of file, so every message of a full pool has its own
     * slot when messages take at least this much with their frame header (96 data bytes). Smaller messages share
     * slots and the oldest fall back to a scan. The index is then 1/8 of the file.
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
    /**
     * The stride a version-2 pool gets by default: a slot per 64 seqs, so a lookup reads at most 63 frame headers
     * before the one it wants, and the index covers a ring full of the smallest messages in 1/64 of the slots: 0.6 %
     * of the file (410 MiB at 64 GiB) instead of 1/8.
     */
    public static final int DEFAULT_STRIDE_SHIFT = 6;
    /** Largest stride: a slot per 2^20 seqs (only an index given far too few slots gets there). */
    public static final int MAX_STRIDE_SHIFT = 20;

    private IndexDescriptor() {
    }

    /** The slot number of {@code seq} (at least 0). */
    public static long slotOf(long seq, long indexCapacity, int strideShift) {
        return (seq >>> strideShift) % indexCapacity;
    }

    /** File offset of the slot for {@code seq} (at least 0) in an index of at most {@link #MAX_CAPACITY} slots. */
    public static int slotOffset(long seq, long indexCapacity, int strideShift) {
        return slotOffsetAt(slotOf(seq, indexCapacity, strideShift));
    }

    /** File offset of slot number {@code slot} (0 to {@link #MAX_CAPACITY} - 1). */
    public static int slotOffsetAt(long slot) {
        return (int) (HeaderDescriptor.FILE_HEADER_LENGTH + slot * SLOT_LENGTH);
    }

    /** True if {@code seq} is the first of its group: its slot is written when it is appended. */
    public static boolean startsGroup(long seq, int strideShift) {
        return (seq & ((1L << strideShift) - 1)) == 0;
    }

    /** True if seqs {@code a} and {@code b} are of the same group (share a slot and a lookup's starting point). */
    public static boolean sameGroup(long a, long b, int strideShift) {
        return a >>> strideShift == b >>> strideShift;
    }

    /** Where the ring starts for an index of this capacity: page-aligned after the index. */
    public static long ringOffset(long indexCapacity) {
        long end = HeaderDescriptor.FILE_HEADER_LENGTH + indexCapacity * SLOT_LENGTH;
        return (end + 4095) & ~4095L;
    }

    /** The default capacity for a version-1 pool file of {@code fileSize} bytes. */
    public static long defaultCapacity(long fileSize) {
        return Math.max(MIN_CAPACITY, fileSize / DEFAULT_BYTES_PER_SLOT);
    }

    /**
     * The default capacity for a version-2 pool file of {@code fileSize} bytes: enough slots that, at the
     * {@link #DEFAULT_STRIDE_SHIFT default stride}, a ring full of the smallest messages never has two groups in one
     * slot ({@link #strideShift}); at most {@link #MAX_CAPACITY} (the stride then grows).
     */
    public static long defaultSegmentedCapacity(long fileSize) {
        long span = (long) FrameDescriptor.MIN_FRAME_SPAN << DEFAULT_STRIDE_SHIFT;
        return Math.min(MAX_CAPACITY, Math.max(MIN_CAPACITY, (fileSize + span - 1) / span));
    }

    /**
     * The stride of a version-2 index of {@code indexCapacity} slots: the smallest (up to {@link #MAX_STRIDE_SHIFT})
     * whose groups, one per slot, hold every seq a ring of {@code ringCapacity} bytes can hold at once (one per
     * {@link FrameDescriptor#MIN_FRAME_SPAN} bytes). Then no two groups in the pool share a slot, and a lookup never
     * reads more than a stride of frames, whatever the message sizes.
     */
    public static int strideShift(long indexCapacity, long ringCapacity) {
        long seqs = (ringCapacity + FrameDescriptor.MIN_FRAME_SPAN - 1) / FrameDescriptor.MIN_FRAME_SPAN;
        int shift = 0;
        while (shift < MAX_STRIDE_SHIFT && indexCapacity << shift < seqs) {
            shift++;
        }
        return shift;
    }
}
