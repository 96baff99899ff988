package dev.rockpool.pool;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of validating a whole pool: header, every frame in the ring, every index slot.
 *
 * @param path         the pool file
 * @param messageCount the valid messages found
 * @param issues       problems that make the pool corrupt; empty when the pool is clean
 * @param notes        facts worth knowing that are not corruption (e.g. a stale lock the next writer repairs)
 */
public record DoctorReport(Path path, long messageCount, List<Issue> issues, List<String> notes) {
    /** True when no issue was found. */
    public boolean clean() {
        return issues.isEmpty();
    }

    /**
     * One problem.
     *
     * @param message what is wrong
     * @param seq     the message seq concerned, or null
     * @param offset  the byte offset in the file, or null
     */
    public record Issue(String message, Long seq, Long offset) {
        @Override
        public String toString() {
            return message + (seq == null ? "" : " seq=" + seq) + (offset == null ? "" : " offset=" + offset);
        }
    }
}
