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
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

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
 * A backlog fills 256 KiB batches, the best case for compression. {@link #live} measures the other case: the task
 * caught up and a host writing at a steady rate, where a batch holds what arrives within {@code linger.ms}.
 */
final class WanCompression {
    /** The codecs compared. */
    static final List<String> CODECS = List.of("none", "lz4", "zstd");

    /** One codec's figures; bytes are per message. */
    record Result(String codec, long messages, double rate, double wallSeconds, double jsonBytes, double wireBytes,
                  double topicBytes) {
    }

    /** Live traffic: bytes per message on the wire, and records per produce request (one batch per request). */
    record Live(String codec, int lingerMs, int rate, long messages, double wireBytes, double recordsPerBatch) {
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
                e2e.endOffset(connector), count, () -> wire[0] = producerMetric(connector, "outgoing-byte-total"));
        return new Result(codec, count, f.rate(), f.wallSeconds(), jsonBytes, wire[0] / count,
                (double) topicBytes(connector) / count);
    }

    /**
     * A host writing {@code rate} entries per second to a pool the task follows, caught up: {@code count} entries
     * shipped with {@code codec} and the producer's {@code linger.ms} (Kafka's default is 5 ms).
     */
    Live live(String codec, int lingerMs, int rate, int count) throws Exception {
        String connector = "live-" + codec + "-" + lingerMs;
        Pool.create(e2e.poolDir().resolve(connector + ".pool"), PoolOptions.ofSize(PoolOptions.DEFAULT_SIZE)).close();
        Map<String, String> extra = new HashMap<>(EndToEnd.RECOMMENDED);
        extra.put("producer.override.compression.type", codec);
        extra.put("producer.override.linger.ms", Integer.toString(lingerMs));
        e2e.cluster().configureConnector(connector, e2e.sourceConfig(connector, connector, extra));
        e2e.cluster().assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 1, connector + " runs");
        LongSupplier delivered = e2e.endOffset(connector);
        try (Pool pool = Pool.open(e2e.poolDir().resolve(connector + ".pool"))) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = start + i * 1_000_000_000L / rate;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                pool.append(new Draft(List.of(), null, JsonData.trusted(JournalEntries.entry(i))));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (delivered.getAsLong() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(connector + ": " + delivered.getAsLong() + " of " + count);
            }
            Thread.sleep(10);
        }
        Live live = new Live(codec, lingerMs, rate, count, producerMetric(connector, "outgoing-byte-total") / count,
                producerMetric(connector, "records-per-request-avg"));
        e2e.cluster().deleteConnector(connector);
        return live;
    }

    /** A metric of the connector's (only) task's producer, while it is open. */
    private static double producerMetric(String connector, String attribute) {
        try {
            ObjectName name = new ObjectName("kafka.producer:type=producer-metrics,client-id=connector-producer-"
                    + connector + "-0");
            return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(name, attribute)).doubleValue();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + attribute + " of the producer of " + connector, e);
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
