package dev.rockpool.connect.sink;

import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Origin;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.Start;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;

/**
 * One pool the task writes to, and what it holds: the highest Kafka offset written per (original topic, partition),
 * read from the {@link Origin} in each message's meta. Built by reading the pool once, then kept current: the task
 * records its own appends, and {@link #refresh()} reads only what was appended since the last read (by this task or
 * by another task that owned a partition before a rebalance).
 */
final class PoolTarget implements AutoCloseable {
    private final String ref;
    private final Pool pool;
    private final Map<TopicPartition, Long> highest = new HashMap<>();
    /** The seq the next {@link #refresh()} starts from: everything before it has been read. */
    private long scannedTo = 1;

    PoolTarget(String ref, Pool pool) {
        this.ref = ref;
        this.pool = pool;
    }

    String ref() {
        return ref;
    }

    Pool pool() {
        return pool;
    }

    /**
     * Reads the messages appended since the last refresh and records their origins. Messages already overwritten
     * (the ring wrapped) are skipped: their origins are lost, which is why the consumer's committed offsets are the
     * fallback.
     *
     * @return how many messages were read
     */
    long refresh() {
        long read = 0;
        try (Cursor cursor = pool.cursor(Start.seq(scannedTo), GapPolicy.CONTINUE, gap -> { })) {
            for (Message m = cursor.next(); m != null; m = cursor.next()) {
                Origin origin = m.origin();
                if (origin != null) {
                    record(new TopicPartition(origin.topic(), origin.partition()), origin.offset());
                }
                read++;
            }
            scannedTo = Math.max(scannedTo, cursor.nextSeq());
        }
        return read;
    }

    /** Notes that the message of {@code tp} at {@code offset} is in the pool. */
    void record(TopicPartition tp, long offset) {
        highest.merge(tp, offset, Math::max);
    }

    /** True if the pool already holds the message of {@code tp} at {@code offset} (or a later one). */
    boolean holds(TopicPartition tp, long offset) {
        Long last = highest.get(tp);
        return last != null && last >= offset;
    }

    /** The highest offset of {@code tp} in the pool, or null if it holds none. */
    Long highest(TopicPartition tp) {
        return highest.get(tp);
    }

    @Override
    public void close() {
        pool.close();
    }
}
