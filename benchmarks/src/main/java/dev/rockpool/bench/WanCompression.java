package dev.rockpool.bench;

import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What compressing the source connector's producer buys at a WAN edge. A pool holds {@code count} journald-like
 * entries ({@link JournalEntries}: the backlog an edge host has after an outage); {@code PoolSourceConnector}, with the
 * settings config-examples recommends (256 KiB producer batches, all four rockpool headers written by
 * StringConverter), ships it to a topic once per {@code producer.override.compression.type}. Per codec:
 * <ul>
 *   <li>records per second over the delivery window (compression runs on the task's thread, in the producer);</li>
 *   <li>bytes on the wire: the connector producer's {@code outgoing-byte-total}, every request it sent to the broker
 *   (record batches and the protocol around them), read from this JVM's JMX before the connector is deleted;</li>
 *   <li>bytes in the topic: the partition's log size on the broker's disk ({@code describeLogDirs}); the broker keeps
 *   the producer's compression ({@code compression.type=producer}), so consumers fetch the same compressed
 *   batches.</li>
 * </ul>
 */
final class WanCompression {
    /** The codecs compared. */
    static final List<String> CODECS = List.of("none", "lz4", "zstd");

    /** One codec's figures; bytes are per message. */
    record Result(String codec, long messages, double rate, double wallSeconds, double jsonBytes, double wireBytes,
                  double topicBytes) {
    }

    private final EndToEnd e2e;
    private final int count;
    private double jsonBytes;

    WanCompression(EndToEnd e2e, int count) {
        this.e2e = e2e;
        this.count = count;
    }

    /** Fills the pool with the entries once; every codec ships the same pool from its start. */
    void fillPool() {
        long total = 0;
        List<byte[]> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] entry = JournalEntries.entry(i);
            entries.add(entry);
            total += entry.length;
        }
        jsonBytes = (double) total / count;
        long size = Math.min(PoolOptions.MAX_SIZE, Math.max(PoolOptions.DEFAULT_SIZE, (total + 64L * count) * 5 / 4));
        try (Pool pool = Pool.create(e2e.poolDir().resolve("journal.pool"), PoolOptions.ofSize(size))) {
            List<Draft> batch = new ArrayList<>(1000);
            for (byte[] entry : entries) {
                batch.add(new Draft(List.of(), null, JsonData.trusted(entry)));
                if (batch.size() == 1000) {
                    pool.appendBatch(batch, Durability.FAST);
                    batch.clear();
                }
            }
            pool.appendBatch(batch, Durability.FAST);
            if (pool.info().oldestSeq() != 1) {
                throw new IllegalStateException("the journal pool of " + size + " bytes dropped messages");
            }
        }
    }

    /** Ships the pool with one codec, to a topic of its own for each round. */
    Result run(String codec, int round) throws Exception {
        String connector = "wan-" + codec + "-" + round;
        Map<String, String> extra = new HashMap<>(EndToEnd.RECOMMENDED);
        extra.put("producer.override.compression.type", codec);
        Map<String, String> config = e2e.sourceConfig(connector, "journal", extra);
        double[] wire = new double[1];
        EndToEnd.Figure f = e2e.timeConnector("source rockpool, journald JSON, " + codec, connector, config,
                e2e.endOffset(connector), count, () -> wire[0] = producerBytesSent(connector));
        return new Result(codec, count, f.rate(), f.wallSeconds(), jsonBytes, wire[0] / count,
                (double) topicBytes(connector) / count);
    }

    /** {@code outgoing-byte-total} of the connector's (only) task's producer. */
    private static double producerBytesSent(String connector) {
        try {
            ObjectName name = new ObjectName("kafka.producer:type=producer-metrics,client-id=connector-producer-"
                    + connector + "-0");
            return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "outgoing-byte-total"))
                    .doubleValue();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the producer metrics of " + connector, e);
        }
    }

    /** The size of the topic's only partition on the broker's disk. */
    private long topicBytes(String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<Integer> brokers = new ArrayList<>();
        e2e.admin().describeCluster().nodes().get(30, TimeUnit.SECONDS).forEach(n -> brokers.add(n.id()));
        long size = 0;
        for (Map<String, LogDirDescription> dirs : e2e.admin().describeLogDirs(brokers).allDescriptions()
                .get(30, TimeUnit.SECONDS).values()) {
            for (LogDirDescription dir : dirs.values()) {
                ReplicaInfo replica = dir.replicaInfos().get(tp);
                if (replica != null) {
                    size += replica.size();
                }
            }
        }
        return size;
    }
}
