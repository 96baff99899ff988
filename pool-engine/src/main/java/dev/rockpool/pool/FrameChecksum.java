package dev.rockpool.pool;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Computes the CRC32C of a frame in place, over the mapping (see {@link FrameDescriptor}): one intrinsic pass, no
 * copy. Keeps its own view of the ring, so one instance belongs to one thread at a time.
 */
final class FrameChecksum {
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer view;

    FrameChecksum(PoolMapping map) {
        this.view = map.ringView();
    }

    /** The CRC32C of the frame of {@code type} and {@code length} at {@code physical}, as stored in the mapping. */
    int of(int physical, int type, int length) {
        int from = physical + FrameDescriptor.CHECKED_OFFSET;
        view.limit(from + FrameDescriptor.checkedLength(type, length)).position(from);
        crc.reset();
        crc.update(view);
        return (int) crc.getValue();
    }
}
