package dev.rockpool.pool;

import java.util.zip.CRC32C;

/**
 * Computes the CRC32C of a frame in place, over the mapping (see {@link FrameDescriptor}): one intrinsic pass, no
 * copy. Keeps its own views of the ring, so one instance belongs to one thread at a time.
 */
final class FrameChecksum {
    private final CRC32C crc = new CRC32C();
    private final PoolMapping.Views views;

    FrameChecksum(PoolMapping map) {
        this.views = map.views(false);
    }

    /** The CRC32C of the frame of {@code type} and {@code length} at {@code physical}, as stored in the mapping. */
    int of(long physical, int type, int length) {
        crc.reset();
        crc.update(views.range(physical + FrameDescriptor.CHECKED_OFFSET, FrameDescriptor.checkedLength(type, length)));
        return (int) crc.getValue();
    }
}
