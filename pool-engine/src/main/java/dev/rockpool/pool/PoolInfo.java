package dev.rockpool.pool;

import java.nio.file.Path;

/**
 * A snapshot of a pool's bounds and usage. Taken without the writer lock, so under concurrent appends the fields
 * can be a few messages apart.
 *
 * @param path          the pool file
 * @param poolId        the identity of this pool file (new for each create)
 * @param formatVersion the on-disk format version
 * @param fileSize      the file size in bytes
 * @param ringCapacity  the bytes available to frames
 * @param indexCapacity the seq index slots
 * @param messageCount  messages in the pool
 * @param oldestSeq     the oldest seq (0 when empty)
 * @param newestSeq     the newest seq (0 when empty)
 * @param nextSeq       the seq the next append gets
 * @param oldestTimeNanos the time of the oldest message (0 when empty)
 * @param newestTimeNanos the time of the newest message (0 when empty)
 * @param bytesUsed     ring bytes holding messages
 * @param bytesFree     ring bytes not holding messages
 * @param createdNanos  when the pool was created
 */
public record PoolInfo(Path path, String poolId, int formatVersion, long fileSize, long ringCapacity,
                       long indexCapacity, long messageCount, long oldestSeq, long newestSeq, long nextSeq,
                       long oldestTimeNanos, long newestTimeNanos, long bytesUsed, long bytesFree,
                       long createdNanos) {
}
