package dev.rockpool.connect.sink;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.filter.JqPredicate;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Origin;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes records to pools: one {@link Pool#appendBatch} per pool per {@link #put}. Each message carries its Kafka
 * origin (original topic, partition, offset) in its meta; that is how the task finds, after a crash, what it already
 * wrote, so that nothing is written twice and nothing is lost:
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
 */
public class PoolSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(PoolSinkTask.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PoolSinkConfig config;
    private PoolDirectory directory;
    private List<String> staticTags;
    private String tagsHeader;
    private JqPredicate filter;
    private Durability durability;
    private boolean tolerateAll;
    private ErrantRecordReporter reporter;

    /** Open pools by reference (name or path, after ${topic}). */
    private final Map<String, PoolTarget> targets = new HashMap<>();
    /** Per partition: the next offset to commit, i.e. one past the last record that is done. */
    private final Map<TopicPartition, Long> done = new HashMap<>();
    /** Partitions just assigned whose pool already held messages: the highest offset written, not yet passed. */
    private final Map<TopicPartition, Long> resumeAfter = new HashMap<>();

    @Override
    public String version() {
        return PoolSinkConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new PoolSinkConfig(props);
        directory = config.poolDirectory();
        staticTags = List.copyOf(config.tags());
        tagsHeader = config.tagsHeader();
        filter = config.filter();
        durability = config.durability();
        tolerateAll = "all".equalsIgnoreCase(props.getOrDefault("errors.tolerance", "none").trim());
        reporter = errantRecordReporter();
        log.info("Pool sink task started: pool={} dir={} durability={} errors.tolerance={}", config.poolTemplate(),
                directory.dir(), PoolSinkConfig.label(durability), tolerateAll ? "all" : "none");
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
        Map<String, PoolTarget> refreshed = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            String ref = config.poolFor(tp.topic());
            if (!refreshed.containsKey(ref) && (targets.containsKey(ref) || exists(ref))) {
                refreshed.put(ref, target(ref));
            }
        }
        // Pools reached through an SMT that renames topics may hold these partitions too: bring them up to date.
        for (PoolTarget t : targets.values()) {
            refreshed.putIfAbsent(t.ref(), t);
        }
        for (PoolTarget t : refreshed.values()) {
            long read = refreshPool(t);
            log.debug("Read {} new messages of pool {} for recovery", read, t.ref());
        }
        for (TopicPartition tp : partitions) {
            Long last = null;
            for (PoolTarget t : targets.values()) {
                Long h = t.highest(tp);
                if (h != null && (last == null || h > last)) {
                    last = h;
                }
            }
            if (last != null) {
                resumeAfter.put(tp, last);
                log.info("{} was written up to offset {}: resuming after it", tp, last);
            }
        }
    }

    /** True if the pool file exists; false also for a reference that is no valid pool (put() then says why). */
    private boolean exists(String ref) {
        try {
            return Files.exists(directory.pathOf(ref));
        } catch (PoolException e) {
            return false;
        }
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            done.remove(tp);
            resumeAfter.remove(tp);
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Map<PoolTarget, List<Entry>> batches = new LinkedHashMap<>();
        Map<TopicPartition, Long> lastInBatch = new HashMap<>();
        List<Bad> bad = new ArrayList<>();
        List<Done> completed = new ArrayList<>();
        // Looked up (and checked for a replaced file) once per topic per batch, not per record.
        Map<String, PoolTarget> byTopic = new HashMap<>();
        int index = 0;
        TopicPartition tp = null;
        for (SinkRecord record : records) {
            int i = index++;
            // Records come in runs of one partition: one key object per run keeps the map lookups below cheap.
            if (tp == null || tp.partition() != record.originalKafkaPartition()
                    || !tp.topic().equals(record.originalTopic())) {
                tp = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            }
            long offset = record.originalKafkaOffset();
            lastInBatch.merge(tp, offset, Math::max);
            PoolTarget target = byTopic.computeIfAbsent(record.topic(), topic -> target(config.poolFor(topic)));
            if (target.holds(tp, offset)) {
                completed.add(new Done(i, tp, offset));
                continue;
            }
            Draft draft;
            try {
                JsonData data = RecordValues.toData(record.valueSchema(), record.value());
                List<String> tags = HeaderTags.of(staticTags, record.headers(), tagsHeader);
                Origin origin = new Origin(tp.topic(), tp.partition(), offset);
                if (filter != null && !keep(record, tags, origin, data)) {
                    completed.add(new Done(i, tp, offset));
                    continue;
                }
                draft = new Draft(tags, origin, data);
            } catch (DataException e) {
                bad.add(new Bad(i, record, tp, e));
                if (!tolerating()) {
                    break;
                }
                continue;
            }
            batches.computeIfAbsent(target, t -> new ArrayList<>()).add(new Entry(i, record, tp, draft));
        }
        // Pools are written one after the other: should a later pool refuse a message while an earlier pool already
        // took records that came after it in this batch (other partitions), those stay written; the origin check
        // above keeps them from being written twice when the batch is delivered again.
        for (Map.Entry<PoolTarget, List<Entry>> batch : batches.entrySet()) {
            write(batch.getKey(), batch.getValue(), bad, completed);
        }
        // Bad records are handled in record order, whichever step found them. Without tolerance only what came
        // before the first bad record counts as done, so the commit never passes it.
        bad.sort(Comparator.comparingInt(b -> b.index()));
        DataException failure = null;
        int limit = Integer.MAX_VALUE;
        for (Bad b : bad) {
            String where = "topic " + b.record().originalTopic() + " partition " + b.record().originalKafkaPartition()
                    + " offset " + b.record().originalKafkaOffset();
            if (!tolerating()) {
                failure = new DataException("Bad record at " + where + ": " + b.cause().getMessage(), b.cause());
                limit = b.index();
                break;
            }
            log.warn("Bad record at {} sent to the errant record reporter: {}", where, b.cause().getMessage());
            reporter.report(b.record(), b.cause());
            completed.add(new Done(b.index(), b.tp(), b.record().originalKafkaOffset()));
        }
        for (Done d : completed) {
            if (d.index() < limit) {
                done.merge(d.tp(), d.offset() + 1, Math::max);
            }
        }
        if (failure != null) {
            throw failure;
        }
        seekPastWritten(lastInBatch);
    }

    /** True if bad records go to the errant record reporter (the dead-letter queue) instead of failing the task. */
    private boolean tolerating() {
        return tolerateAll && reporter != null;
    }

    /**
     * After a restart the consumer resumes at the committed offset, which may be behind what is already in the pool:
     * those records were skipped above; if a partition's whole batch was such records, jump the consumer forward.
     */
    private void seekPastWritten(Map<TopicPartition, Long> lastInBatch) {
        for (Map.Entry<TopicPartition, Long> e : lastInBatch.entrySet()) {
            TopicPartition tp = e.getKey();
            Long after = resumeAfter.get(tp);
            if (after == null) {
                continue;
            }
            if (e.getValue() < after) {
                log.info("Skipping {} to offset {}: the records before it are already in the pool", tp, after + 1);
                context.offset(tp, after + 1);
                done.put(tp, after + 1);
            }
            resumeAfter.remove(tp);
        }
    }

    /** The envelope the filter sees: no seq yet, the record timestamp as time. */
    private boolean keep(SinkRecord record, List<String> tags, Origin origin, JsonData data) {
        ObjectNode envelope = NODES.objectNode();
        Long timestamp = record.timestamp();
        if (timestamp != null && timestamp >= 0) {
            envelope.put("time", TimeFormat.format(timestamp * 1_000_000L));
        } else {
            envelope.putNull("time");
        }
        ObjectNode meta = envelope.putObject("meta");
        ArrayNode tagArray = meta.putArray("tags");
        tags.forEach(tagArray::add);
        meta.putObject("origin").put("topic", origin.topic()).put("partition", origin.partition())
                .put("offset", origin.offset());
        envelope.set("data", RecordValues.tree(data));
        try {
            return filter.test(envelope);
        } catch (PoolException e) {
            // A non-boolean result: the expression is wrong for every record, not this record's fault.
            throw new ConnectException(PoolSinkConfig.FILTER_WHERE_CONFIG + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends one pool's batch. The engine checks the whole batch before writing any of it; if it refuses one
     * message (too large for the pool, a tag too long) nothing is written, and the messages are then appended one by
     * one, in order, so that the good ones around the bad one go in exactly once. Without tolerance, nothing after
     * the first bad message is written.
     */
    private void write(PoolTarget target, List<Entry> entries, List<Bad> bad, List<Done> completed) {
        List<Draft> drafts = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            drafts.add(e.draft());
        }
        try {
            target.pool().appendBatch(drafts, durability);
            for (Entry e : entries) {
                written(target, e, completed);
            }
            return;
        } catch (PoolException batchError) {
            if (batchError.kind() != ErrorKind.USAGE) {
                throw poolFailure(target, "cannot append", batchError);
            }
        }
        for (Entry e : entries) {
            try {
                target.pool().append(e.draft(), durability);
                written(target, e, completed);
            } catch (PoolException error) {
                if (error.kind() != ErrorKind.USAGE) {
                    throw poolFailure(target, "cannot append", error);
                }
                bad.add(new Bad(e.index(), e.record(), e.tp(), new DataException(error.getMessage())));
                if (!tolerating()) {
                    return;
                }
            }
        }
    }

    private void written(PoolTarget target, Entry e, List<Done> completed) {
        long offset = e.draft().origin().offset();
        target.record(e.tp(), offset);
        completed.add(new Done(e.index(), e.tp(), offset));
    }

    /** The open pool for a reference; opened (or created) and read for recovery on first use. */
    private PoolTarget target(String ref) {
        PoolTarget target = targets.get(ref);
        if (target != null && target.replaced()) {
            // Deleted (or recreated) under the task: what it held is gone, so start over with the file there now.
            log.warn("Pool {} at {} was deleted or replaced: opening it again", ref, target.pool().path());
            targets.remove(ref);
            target.close();
            target = null;
        }
        if (target == null) {
            target = new PoolTarget(ref, openPool(ref));
            targets.put(ref, target);
            refreshPool(target);
        }
        return target;
    }

    private long refreshPool(PoolTarget target) {
        try {
            return target.refresh();
        } catch (PoolException e) {
            throw poolFailure(target, "cannot read back for recovery", e);
        }
    }

    private Pool openPool(String ref) {
        Path path;
        try {
            path = directory.pathOf(ref);
        } catch (PoolException e) {
            throw new ConnectException("Pool '" + ref + "' (" + PoolSinkConfig.POOL_CONFIG + "="
                    + config.poolTemplate() + "): " + e.getMessage(), e);
        }
        Pool pool;
        try {
            if (!config.createPools() || Files.exists(path)) {
                pool = Pool.open(path);
            } else {
                pool = directory.openOrCreate(ref, config.poolOptions());
                log.info("Opened pool {} at {} (created if missing, size {})", ref, path,
                        config.getString(PoolSinkConfig.POOL_SIZE_CONFIG));
            }
        } catch (PoolException e) {
            String hint = e.kind() == ErrorKind.NOT_FOUND && !config.createPools()
                    ? " (" + PoolSinkConfig.POOL_CREATE_CONFIG + "=false: create it first, e.g. rockpool pool create "
                    + ref + ")" : "";
            throw new ConnectException("Cannot open pool '" + ref + "' at " + path + ": " + e.kind().label() + ": "
                    + e.getMessage() + hint, e);
        }
        if (readOnly(path)) {
            pool.close();
            throw new ConnectException("Cannot write to pool '" + ref + "' at " + path
                    + ": Permission: the file is read-only for the worker's user");
        }
        return pool;
    }

    /**
     * Not writable for this user, or with no write permission bit at all: a file made read-only on purpose is not
     * written even by a worker running as root.
     */
    private static boolean readOnly(Path path) {
        if (!Files.isWritable(path)) {
            return true;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            return !permissions.contains(PosixFilePermission.OWNER_WRITE)
                    && !permissions.contains(PosixFilePermission.GROUP_WRITE)
                    && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    private RuntimeException poolFailure(PoolTarget target, String what, PoolException e) {
        String message = "Pool '" + target.ref() + "' at " + target.pool().path() + ": " + what + ": "
                + e.kind().label() + ": " + e.getMessage();
        if (e.kind() == ErrorKind.BUSY) {
            // Another writer holds the lock: the batch was not written, and put() may be retried as a whole.
            return new RetriableException(message, e);
        }
        return new ConnectException(message, e);
    }

    /**
     * Offsets of records that are done: written with the configured durability (an append returns only once it
     * is, so this needs no extra flush), filtered out, or reported as bad. Never past what the framework consumed.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : currentOffsets.entrySet()) {
            Long next = done.get(e.getKey());
            if (next != null) {
                commit.put(e.getKey(), new OffsetAndMetadata(Math.min(next, e.getValue().offset())));
            }
        }
        return commit;
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // Every append returned with the configured durability: there is nothing left to flush.
    }

    @Override
    public void stop() {
        for (PoolTarget t : targets.values()) {
            t.close();
        }
        targets.clear();
        done.clear();
        resumeAfter.clear();
    }

    /** A record converted to a message, waiting for its pool's batch; index = its place in the put() batch. */
    private record Entry(int index, SinkRecord record, TopicPartition tp, Draft draft) {
    }

    /** A record that is done (written, already in the pool, filtered out or reported) at its place in the batch. */
    private record Done(int index, TopicPartition tp, long offset) {
    }

    /** A record that is not a valid message, and why. */
    private record Bad(int index, SinkRecord record, TopicPartition tp, DataException cause) {
    }
}
