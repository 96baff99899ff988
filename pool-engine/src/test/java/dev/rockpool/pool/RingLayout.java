package dev.rockpool.pool;

import java.nio.file.Path;

/**
 * The two ways a ring is laid out, for tests that run on both: one segment (format version 1, every pool up to about
 * 2 GiB) and segments of {@value #SEGMENT_BYTES} bytes (format version 2, as a pool beyond 2 GiB has them in 1 GiB
 * segments), so that a small pool crosses many segment boundaries: a 64 KiB pool has three and a half segments, a
 * 32 MiB one two thousand. Creating a pool with small segments is package-private in the engine; this is its door for
 * the tests of other packages and modules.
 */
public enum RingLayout {
    /** The ring in one mapping, a slot per seq. */
    ONE_SEGMENT {
        @Override
        public Pool create(Path file, PoolOptions options) {
            return Pool.create(file, options);
        }
    },
    /** The ring in segments of {@value #SEGMENT_BYTES} bytes, an index stride as the size gives. */
    SEGMENTED {
        @Override
        public Pool create(Path file, PoolOptions options) {
            return Pool.create(file, options, Integer.numberOfTrailingZeros(SEGMENT_BYTES), CreateProgress.NONE);
        }
    };

    /** The segment size of {@link #SEGMENTED}: 16 KiB, larger than every test message but the largest. */
    public static final int SEGMENT_BYTES = 16 << 10;

    /** Creates a pool with this layout. */
    public abstract Pool create(Path file, PoolOptions options);
}
