package dev.rockpool.connect.sink;

import dev.rockpool.connect.PluginVersion;
import dev.rockpool.pool.BadDraftPolicy;
import dev.rockpool.pool.BatchResult;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.PoolException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes records to pools: one batch append per pool per {@link #put}. Each message carries its Kafka origin
 * (original topic, partition, offset) in its meta; that is how the task finds, after a crash, what it already wrote,
 * so that nothing is written twice and nothing is lost:
 * <ul>
 * <li>{@link #open} reads the pools of the assigned partitions (once per pool, then only what is new) and notes the
 *     highest written offset per partition;</li>
 * <li>{@link #put} skips records at or below that offset, and when a whole batch of a partition is at or below it,
 *     seeks the consumer past it ({@code context.offset(tp, last + 1)}). The seek is made there rather than in
 *     {@code open()} so that it only ever moves forward: the committed offset may already be past the last written
 *     message (filtered or dead-lettered records), and seeking back would read those again;</li>
 * <li>{@link #preCommit} returns only offsets of records that are in a pool with the configured durability (or
 *     were filtered out or reported as bad).</li>
 * </ul>
 * The parts: {@link PoolTargets} (the pools), {@link RecordMapper} (record to message), {@link CommitLedger} (what is
 * durable).
 */
public class PoolSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(PoolSinkTask.class);

    private PoolSinkConfig config;
    private PoolTargets targets;
    private RecordMapper mapper;
    private Durability durability;
    private boolean tolerateAll;
    private ErrantRecordReporter reporter;
    private SinkMetrics metrics;
    private final CommitLedger ledger = new CommitLedger();

    @Override
    public String version() {
        return PluginVersion.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new PoolSinkConfig(props);
        targets = new PoolTargets(config);
        mapper = new RecordMapper(config);
        durability = config.durability();
        tolerateAll = "all".equalsIgnoreCase(props.getOrDefault("errors.tolerance", "none").trim());
        reporter = errantRecordReporter();
        metrics = new SinkMetrics(context.pluginMetrics());
        log.info("Pool sink task started: pool={} dir={} durability={} errors.tolerance={}", config.poolTemplate(),
                targets.directory().dir(), PoolSinkConfig.label(durability), tolerateAll ? "all" : "none");
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            // A worker older than Kafka 2.6 has no reporter: bad records then fail the task.
            return null;
        }
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        targets.recover(partitions).forEach((tp, last) -> {
            ledger.writtenUpTo(tp, last);
            log.info("{} was written up to offset {}: resuming after it", tp, last);
        });
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        ledger.forget(partitions);
    }

    /**
     * Sorts the records (already in their pool, filtered out, to append, bad), appends each pool's share under one
     * lock and one publish, settles the bad records in record order, and moves the consumer past what the pools
     * already held.
     */
    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        PutBatch batch = new PutBatch();
        for (SinkRecord record : records) {
            if (!batch.sort(record) && !tolerating()) {
                break;
            }
        }
        // Pools are written one after the other: should a later pool refuse a message while an earlier pool already
        // took records that came after it in this batch (other partitions), those stay written; the origin check
        // keeps them from being written twice when the batch is delivered again.
        batch.appends.forEach((target, entries) -> append(target, entries, batch));
        settle(batch);
        ledger.pastWritten(batch.lastOffsets).forEach((tp, offset) -> {
            log.info("Skipping {} to offset {}: the records before it are already in the pool", tp, offset);
            context.offset(tp, offset);
        });
    }

    /** True if bad records go to the errant record reporter (the dead-letter queue) instead of failing the task. */
    private boolean tolerating() {
        return tolerateAll && reporter != null;
    }

    /**
     * Appends one pool's share of the batch. The engine appends every message it accepts and reports the ones it
     * refuses (too large for the pool, a tag too long); without tolerance it appends nothing after the first refused
     * one, so the commit never passes it.
     */
    private void append(PoolTarget target, List<Entry> entries, PutBatch batch) {
        List<Draft> drafts = new ArrayList<>(entries.size());
        entries.forEach(e -> drafts.add(e.draft()));
        BatchResult result;
        try {
            result = target.pool().appendBatch(drafts, durability,
                    tolerating() ? BadDraftPolicy.SKIP : BadDraftPolicy.STOP);
        } catch (PoolException e) {
            throw targets.failure(target, "Cannot append to", e);
        }
        int landed = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (result.receipt(i) != null) {
                target.record(e.tp(), e.draft().origin().offset());
                batch.completed.add(new Done(e.index(), e.tp(), e.draft().origin().offset()));
                landed++;
            }
        }
        metrics.of(target.ref()).landed.add(landed);
        for (BatchResult.Rejection r : result.rejections()) {
            Entry e = entries.get(r.index());
            batch.bad.add(new Bad(e.index(), e.record(), e.tp(), target.ref(),
                    new DataException(r.error().getMessage())));
        }
    }

    /**
     * Handles the bad records in record order, whichever step found them, and records what is done. Without
     * tolerance only what came before the first bad record counts as done, and the task fails naming it.
     */
    private void settle(PutBatch batch) {
        batch.bad.sort(Comparator.comparingInt(Bad::index));
        DataException failure = null;
        int limit = Integer.MAX_VALUE;
        for (Bad b : batch.bad) {
            String where = "topic " + b.record().originalTopic() + " partition " + b.record().originalKafkaPartition()
                    + " offset " + b.record().originalKafkaOffset();
            if (!tolerating()) {
                failure = new DataException("Bad record at " + where + ": " + b.cause().getMessage(), b.cause());
                limit = b.index();
                break;
            }
            log.warn("Bad record at {} sent to the errant record reporter: {}", where, b.cause().getMessage());
            reporter.report(b.record(), b.cause());
            metrics.of(b.pool()).deadLettered.increment();
            batch.completed.add(new Done(b.index(), b.tp(), b.record().originalKafkaOffset()));
        }
        for (Done d : batch.completed) {
            if (d.index() < limit) {
                ledger.done(d.tp(), d.offset());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Offsets of records that are done: written with the configured durability (an append returns only once it
     * is, so this needs no extra flush), filtered out, or reported as bad. Never past what the framework consumed.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        return ledger.committable(currentOffsets);
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // Every append returned with the configured durability: there is nothing left to flush.
    }

    @Override
    public void stop() {
        if (targets != null) {
            targets.close();
        }
        ledger.clear();
    }

    /** One put()'s records, sorted: what to append to which pool, what is done already, what is bad. */
    private final class PutBatch {
        final Map<PoolTarget, List<Entry>> appends = new LinkedHashMap<>();
        final List<Done> completed = new ArrayList<>();
        final List<Bad> bad = new ArrayList<>();
        /** The highest offset per partition in this batch. */
        final Map<TopicPartition, Long> lastOffsets = new HashMap<>();
        /** Looked up (and checked for a replaced file) once per topic per batch, not per record. */
        private final Map<String, PoolTarget> byTopic = new HashMap<>();
        private int index;
        private TopicPartition tp;

        /** Sorts one record; false if it is bad. */
        boolean sort(SinkRecord record) {
            int i = index++;
            // Records come in runs of one partition: one key object per run keeps the map lookups cheap.
            if (tp == null || tp.partition() != record.originalKafkaPartition()
                    || !tp.topic().equals(record.originalTopic())) {
                tp = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            }
            long offset = record.originalKafkaOffset();
            lastOffsets.merge(tp, offset, Math::max);
            PoolTarget target = byTopic.computeIfAbsent(record.topic(), t -> targets.target(config.poolFor(t)));
            if (target.holds(tp, offset)) {
                metrics.of(target.ref()).duplicates.increment();
                completed.add(new Done(i, tp, offset));
                return true;
            }
            Draft draft;
            try {
                draft = mapper.draft(record, tp);
            } catch (DataException e) {
                bad.add(new Bad(i, record, tp, target.ref(), e));
                return false;
            }
            if (draft == null) {
                metrics.of(target.ref()).filtered.increment();
                completed.add(new Done(i, tp, offset));
            } else {
                appends.computeIfAbsent(target, t -> new ArrayList<>()).add(new Entry(i, record, tp, draft));
            }
            return true;
        }
    }

    /** A record converted to a message, waiting for its pool's batch; index = its place in the put() batch. */
    private record Entry(int index, SinkRecord record, TopicPartition tp, Draft draft) {
    }

    /** A record that is done (written, already in the pool, filtered out or reported) at its place in the batch. */
    private record Done(int index, TopicPartition tp, long offset) {
    }

    /** A record that is not a valid message for its pool, and why. */
    private record Bad(int index, SinkRecord record, TopicPartition tp, String pool, DataException cause) {
    }
}
