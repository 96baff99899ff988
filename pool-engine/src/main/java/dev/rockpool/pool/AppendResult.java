package dev.rockpool.pool;

/**
 * The receipt of one appended message.
 *
 * @param seq       the seq the engine assigned
 * @param timeNanos the time the engine assigned, ns since the epoch (UTC)
 */
public record AppendResult(long seq, long timeNanos) {
}
