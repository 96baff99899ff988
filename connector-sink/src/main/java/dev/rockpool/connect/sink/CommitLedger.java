package dev.rockpool.connect.sink;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What is durable, per partition: one past the last record that is done (written with the configured durability,
 * filtered out, or reported as bad), which is all {@code preCommit} may commit. Also the partitions just assigned
 * whose pool already held messages, until the consumer is past them.
 */
final class CommitLedger {
    /** Per partition: the next offset to commit. */
    private final Map<TopicPartition, Long> next = new HashMap<>();
    /** Partitions just assigned whose pool already held messages: the highest offset written, not yet passed. */
    private final Map<TopicPartition, Long> resumeAfter = new HashMap<>();

    /** The record of {@code tp} at {@code offset} is done. */
    void done(TopicPartition tp, long offset) {
        next.merge(tp, offset + 1, Math::max);
    }

    /** A pool already holds {@code tp} up to {@code last}: the consumer may be moved past it once. */
    void writtenUpTo(TopicPartition tp, long last) {
        resumeAfter.put(tp, last);
    }

    /**
     * Where to move the consumer after a batch: for each partition whose pool already held more than the whole batch
     * reached ({@code lastInBatch}), one past what the pool holds, which is then done too. Each partition is looked at
     * once, on its first batch after the assignment, so the consumer only ever moves forward.
     */
    Map<TopicPartition, Long> pastWritten(Map<TopicPartition, Long> lastInBatch) {
        Map<TopicPartition, Long> seeks = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : lastInBatch.entrySet()) {
            Long after = resumeAfter.remove(e.getKey());
            if (after != null && e.getValue() < after) {
                seeks.put(e.getKey(), after + 1);
                next.put(e.getKey(), after + 1);
            }
        }
        return seeks;
    }

    /** The offsets that may commit: what is done, never past what the framework consumed. */
    Map<TopicPartition, OffsetAndMetadata> committable(Map<TopicPartition, OffsetAndMetadata> consumed) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : consumed.entrySet()) {
            Long done = next.get(e.getKey());
            if (done != null) {
                commit.put(e.getKey(), new OffsetAndMetadata(Math.min(done, e.getValue().offset())));
            }
        }
        return commit;
    }

    /** Forgets partitions the task no longer owns. */
    void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            next.remove(tp);
            resumeAfter.remove(tp);
        }
    }

    void clear() {
        next.clear();
        resumeAfter.clear();
    }
}
