package dev.rockpool.pool;

/**
 * Told how far {@link Pool#create(java.nio.file.Path, PoolOptions, CreateProgress)} is: creating a pool writes its
 * whole file (to reserve the disk space), which takes a while for a large pool. Called on the creating thread, after
 * every mebibyte.
 */
@FunctionalInterface
public interface CreateProgress {
    /** Ignores the progress. */
    CreateProgress NONE = (written, fileSize) -> { };

    /** {@code written} of {@code fileSize} bytes of the new file are written. */
    void written(long written, long fileSize);
}
