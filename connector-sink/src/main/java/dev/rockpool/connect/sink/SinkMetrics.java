package dev.rockpool.connect.sink;

import dev.rockpool.connect.Counter;
import dev.rockpool.connect.PluginMetricGroup;
import org.apache.kafka.common.metrics.PluginMetrics;

import java.util.HashMap;
import java.util.Map;

/**
 * What operators watch per pool of a sink task, through KIP-877's plugin metrics: JMX
 * {@code kafka.connect:type=plugins,connector=NAME,task=N,pool=POOL}, where POOL is the pool as {@code pool} names it
 * for the record's topic. A pool's metrics appear with the first record the task handles for it, and count from the
 * task's start. Used by the task's thread; the reporter reads the counters.
 */
final class SinkMetrics {
    /** Records appended to the pool. */
    static final String LANDED = "messages-landed-total";
    /** Records delivered again that the pool already held (by their Kafka origin), not appended twice. */
    static final String DUPLICATES = "duplicates-skipped-total";
    /** Records {@code filter.where} dropped. */
    static final String FILTERED = "filtered-total";
    /** Bad records handed to the errant record reporter (the dead-letter queue). */
    static final String DEAD_LETTERED = "dead-lettered-total";

    private final PluginMetrics metrics;
    private final Map<String, PoolCounts> byPool = new HashMap<>();

    /** @param metrics the task's plugin metrics, or null */
    SinkMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /** The counts of a pool, registered on first use. */
    PoolCounts of(String pool) {
        return byPool.computeIfAbsent(pool, p -> new PoolCounts(new PluginMetricGroup(metrics, "pool", p)));
    }

    /** The four counts of one pool. */
    static final class PoolCounts {
        final Counter landed;
        final Counter duplicates;
        final Counter filtered;
        final Counter deadLettered;

        private PoolCounts(PluginMetricGroup group) {
            landed = group.counter(LANDED, "Records this task appended to the pool, since it started");
            duplicates = group.counter(DUPLICATES, "Records delivered again (after a crash, a rebalance or offsets "
                    + "moved back) that the pool already held by their Kafka origin, skipped, since the task started");
            filtered = group.counter(FILTERED, "Records filter.where dropped, since the task started");
            deadLettered = group.counter(DEAD_LETTERED, "Bad records this task sent to the errant record reporter "
                    + "(the dead-letter queue), since it started");
        }
    }
}
