package dev.rockpool.pool;

/**
 * How to create a pool.
 *
 * @param sizeBytes     the total file size, fixed for the pool's life ({@link #MIN_SIZE} .. {@link #MAX_SIZE})
 * @param indexCapacity seq index slots; 0 picks the default: one slot per 128 bytes of file (at least 64) in a pool
 *                      of up to 2 GiB (whose ring is one mapping), one per 2,560 bytes in a larger one (where a slot
 *                      serves a stride of 64 seqs, see {@link IndexDescriptor})
 */
public record PoolOptions(long sizeBytes, long indexCapacity) {
    /** Smallest pool file: 64 KiB. */
    public static final long MIN_SIZE = 64L * 1024;
    /**
     * Largest pool file: 1 TiB. A ring larger than one mapping (2 GiB) is mapped in segments of 1 GiB (see
     * {@link HeaderDescriptor#VERSION_SEGMENTED}); a terabyte is 1024 of them, within what a process may map.
     */
    public static final long MAX_SIZE = 1L << 40;
    /** Default pool file size: 64 MiB. */
    public static final long DEFAULT_SIZE = 64L * 1024 * 1024;

    /** Options with the given size and the default index. */
    public static PoolOptions ofSize(long sizeBytes) {
        return new PoolOptions(sizeBytes, 0);
    }

    /** Parses sizes like {@code 8M}, {@code 64KiB}, {@code 1G}, {@code 1T}, {@code 65536}. */
    public static long parseSize(String text) {
        String t = text.trim().toUpperCase().replace("IB", "").replace("B", "");
        long unit = 1;
        if (!t.isEmpty()) {
            char last = t.charAt(t.length() - 1);
            switch (last) {
                case 'K': unit = 1L << 10; break;
                case 'M': unit = 1L << 20; break;
                case 'G': unit = 1L << 30; break;
                case 'T': unit = 1L << 40; break;
                default: unit = 1;
            }
            if (unit != 1) {
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(t.trim());
            if (n <= 0 || n > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new PoolException(ErrorKind.USAGE, "size=" + text + ": expected a positive size like 64K, 8M, 1G or 1T");
        }
    }
}
