package dev.rockpool.pool;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The geometry of a pool file: its format version, where the index and the ring lie, the index stride and the ring's
 * segments. Chosen once by {@link #forCreate}, or read by {@link #of} from a header that
 * {@link HeaderDescriptor#checkHeader} accepted; {@link PoolMapping} maps and addresses the file by it.
 *
 * @param version       {@link HeaderDescriptor#VERSION_ONE_SEGMENT} or {@link HeaderDescriptor#VERSION_SEGMENTED}
 * @param fileSize      the size of the file
 * @param indexCapacity index slots
 * @param strideShift   a slot per 2^this seqs (0 in version 1)
 * @param ringOffset    where the ring starts in the file
 * @param ringCapacity  bytes of the ring
 * @param segmentShift  ring segments are 2^this bytes ({@link HeaderDescriptor#ONE_SEGMENT_SHIFT} in version 1: the
 *                      ring, below 2^31 bytes, is the one segment)
 */
record PoolLayout(int version, long fileSize, long indexCapacity, int strideShift, long ringOffset, long ringCapacity,
                  int segmentShift) {

    /**
     * The largest pool file of format version 1: 2 GiB, the largest pool older builds create. Its ring always fits one
     * mapping.
     */
    static final long MAX_ONE_SEGMENT_SIZE = 2L << 30;

    /**
     * The layout of a new pool of {@code size} bytes: version 1 up to {@link #MAX_ONE_SEGMENT_SIZE} (so older builds
     * read it), else version 2 with segments of 2^{@link HeaderDescriptor#MAX_SEGMENT_SHIFT} bytes. A
     * {@code segmentShift} other than 0 forces version 2 with segments that small (tests cross many segment boundaries
     * in a small pool that way).
     *
     * @param indexCapacity index slots, or 0 for the default of the version
     * @throws PoolException Usage for an index that leaves too little ring or does not fit one mapping, or for more
     *                       segments than a pool may have
     */
    static PoolLayout forCreate(long size, long indexCapacity, int segmentShift, Path file) {
        if (segmentShift == 0 && size <= MAX_ONE_SEGMENT_SIZE) {
            return of(HeaderDescriptor.VERSION_ONE_SEGMENT, size,
                    indexCapacity > 0 ? indexCapacity : IndexDescriptor.defaultCapacity(size),
                    HeaderDescriptor.ONE_SEGMENT_SHIFT, file);
        }
        return of(HeaderDescriptor.VERSION_SEGMENTED, size,
                indexCapacity > 0 ? indexCapacity : IndexDescriptor.defaultSegmentedCapacity(size),
                segmentShift == 0 ? HeaderDescriptor.MAX_SEGMENT_SHIFT : segmentShift, file);
    }

    private static PoolLayout of(int version, long size, long indexCapacity, int segmentShift, Path file) {
        if (indexCapacity > IndexDescriptor.MAX_CAPACITY) {
            throw new PoolException(ErrorKind.USAGE, "an index of " + indexCapacity + " slots does not fit one mapping"
                    + " (at most " + IndexDescriptor.MAX_CAPACITY + ")", file);
        }
        long ringOffset = IndexDescriptor.ringOffset(indexCapacity);
        long ringCapacity = (size - ringOffset) & -FrameDescriptor.ALIGNMENT;
        if (ringCapacity < PoolOptions.MIN_SIZE / 2) {
            throw new PoolException(ErrorKind.USAGE, "an index of " + indexCapacity + " slots leaves only "
                    + Math.max(ringCapacity, 0) + " bytes of ring in a " + size + "-byte pool", file);
        }
        if (((ringCapacity - 1) >>> segmentShift) >= HeaderDescriptor.MAX_SEGMENTS) {
            throw new PoolException(ErrorKind.USAGE, "a ring of " + ringCapacity + " bytes in segments of 2^"
                    + segmentShift + " bytes is more than " + HeaderDescriptor.MAX_SEGMENTS + " segments", file);
        }
        int strideShift = version == HeaderDescriptor.VERSION_ONE_SEGMENT ? 0
                : IndexDescriptor.strideShift(indexCapacity, ringCapacity);
        return new PoolLayout(version, size, indexCapacity, strideShift, ringOffset, ringCapacity, segmentShift);
    }

    /** The layout a header gives; the header passed {@link HeaderDescriptor#checkHeader}. */
    static PoolLayout of(ByteBuffer header) {
        int version = header.getInt(HeaderDescriptor.VERSION_OFFSET);
        boolean segmented = version == HeaderDescriptor.VERSION_SEGMENTED;
        return new PoolLayout(version, header.getLong(HeaderDescriptor.FILE_SIZE_OFFSET),
                header.getLong(HeaderDescriptor.INDEX_CAPACITY_OFFSET),
                segmented ? header.getInt(HeaderDescriptor.INDEX_STRIDE_SHIFT_OFFSET) : 0,
                header.getLong(HeaderDescriptor.RING_OFFSET_OFFSET), header.getLong(HeaderDescriptor.RING_CAPACITY_OFFSET),
                segmented ? header.getInt(HeaderDescriptor.SEGMENT_SHIFT_OFFSET) : HeaderDescriptor.ONE_SEGMENT_SHIFT);
    }

    /** Puts the layout fields into a new pool's header (version 1 leaves the fields only version 2 has at 0). */
    void writeTo(ByteBuffer header) {
        header.putLong(HeaderDescriptor.MAGIC_OFFSET, HeaderDescriptor.MAGIC);
        header.putInt(HeaderDescriptor.VERSION_OFFSET, version);
        header.putInt(HeaderDescriptor.HEADER_LENGTH_OFFSET, HeaderDescriptor.FILE_HEADER_LENGTH);
        header.putLong(HeaderDescriptor.FILE_SIZE_OFFSET, fileSize);
        header.putLong(HeaderDescriptor.INDEX_OFFSET_OFFSET, HeaderDescriptor.FILE_HEADER_LENGTH);
        header.putLong(HeaderDescriptor.INDEX_CAPACITY_OFFSET, indexCapacity);
        header.putLong(HeaderDescriptor.RING_OFFSET_OFFSET, ringOffset);
        header.putLong(HeaderDescriptor.RING_CAPACITY_OFFSET, ringCapacity);
        if (version == HeaderDescriptor.VERSION_SEGMENTED) {
            header.putInt(HeaderDescriptor.SEGMENT_SHIFT_OFFSET, segmentShift);
            header.putInt(HeaderDescriptor.INDEX_STRIDE_SHIFT_OFFSET, strideShift);
        }
    }

    /** Number of ring segments: mappings of 2^{@link #segmentShift} bytes, the last one possibly shorter. */
    int segments() {
        return (int) (((ringCapacity - 1) >>> segmentShift) + 1);
    }

    /** Bytes of segment {@code k}. */
    long segmentLength(int k) {
        return Math.min(1L << segmentShift, ringCapacity - ((long) k << segmentShift));
    }

    /** The largest frame: a whole segment (the whole ring when it is one segment), as a frame never straddles two. */
    long maxFrameLength() {
        return Math.min(1L << segmentShift, ringCapacity);
    }
}
