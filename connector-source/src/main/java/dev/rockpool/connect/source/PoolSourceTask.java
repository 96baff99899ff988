package dev.rockpool.connect.source;

import dev.rockpool.connect.PluginVersion;
import dev.rockpool.filter.MessageFilter;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.WaitStrategy;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Follows the task's pools and returns their messages as records. One cursor per pool, read round-robin so a busy
 * pool cannot starve the others; an idle poll backs off (spin, yield, park up to {@value #MAX_PARK_MS} ms) and returns
 * null after {@code poll.timeout.ms}; {@link #stop()} wakes it at once.
 */
public class PoolSourceTask extends SourceTask {
    private static final Logger log = LoggerFactory.getLogger(PoolSourceTask.class);
    /** Longest single pause of an idle poll: bounds the latency of a new message, costs ~100 wakeups/s when idle. */
    static final long MAX_PARK_MS = 10;

    private final WaitStrategy waitStrategy = WaitStrategy.backoff(MAX_PARK_MS * 1_000_000L);

    private PoolSourceConfig config;
    private List<PoolFollower> followers;
    private MessageFilter filter;
    private RecordFactory records;
    private int batchMax;
    private long pollTimeoutNanos;
    private int nextFollower;
    private String heartbeatTopic;
    private long heartbeatIntervalNanos;
    private long lastHeartbeat;
    private volatile boolean stopping;
    private volatile Thread pollThread;

    @Override
    public String version() {
        return PluginVersion.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new PoolSourceConfig(props);
        filter = config.filter();
        records = new RecordFactory(config.valueFormat(), config.keyExpression(), config.headers());
        batchMax = config.batchMaxMessages();
        pollTimeoutNanos = config.pollTimeoutMs() * 1_000_000L;
        heartbeatTopic = config.heartbeatTopic();
        heartbeatIntervalNanos = config.heartbeatIntervalMs() * 1_000_000L;
        lastHeartbeat = System.nanoTime();
        PoolDirectory dir = config.poolDirectory();
        Map<String, Map<String, Object>> offsets = committedOffsets(config.pools());
        followers = new ArrayList<>();
        for (String pool : config.pools()) {
            Map<String, Object> offset = OffsetFields.checked(pool, offsets.get(pool));
            followers.add(new PoolFollower(pool, dir.pathOf(pool), offset, config.start(), config.stopAt(),
                    config.gapPolicy()));
        }
        for (PoolFollower f : followers) {
            SourceMetrics.register(context.pluginMetrics(), f);
        }
        log.info("Task following pools {} in {} (value format {}, start.from {}, stop.at {}, on.gap {})",
                config.pools(), dir.dir(), config.valueFormat(), config.start(), config.stopAt(), config.gapPolicy());
    }

    private Map<String, Map<String, Object>> committedOffsets(List<String> pools) {
        OffsetStorageReader reader = context.offsetStorageReader();
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (String pool : pools) {
            partitions.add(OffsetFields.partition(pool));
        }
        Map<String, Map<String, Object>> byPool = new HashMap<>();
        Map<Map<String, Object>, Map<String, Object>> stored = reader.offsets(partitions);
        if (stored != null) {
            stored.forEach((partition, offset) -> {
                if (offset != null) {
                    byPool.put((String) partition.get(OffsetFields.POOL), offset);
                }
            });
        }
        return byPool;
    }

    @Override
    public List<SourceRecord> poll() {
        pollThread = Thread.currentThread();
        try {
            long deadline = System.nanoTime() + pollTimeoutNanos;
            WaitStrategy.Idler idler = waitStrategy.newIdler();
            List<SourceRecord> batch = new ArrayList<>();
            while (!stopping) {
                fill(batch, deadline);
                addHeartbeats(batch);
                if (!batch.isEmpty()) {
                    return batch;
                }
                if (System.nanoTime() - deadline >= 0) {
                    return null;
                }
                idler.idle();
            }
            return null;
        } finally {
            pollThread = null;
            if (stopping) {
                closePools();
            }
        }
    }

    /** One round over the pools, starting one further each time, until the batch is full or all are caught up. */
    private void fill(List<SourceRecord> batch, long deadline) {
        int n = followers.size();
        int start = nextFollower;
        nextFollower = (nextFollower + 1) % n;
        for (int i = 0; i < n && batch.size() < batchMax; i++) {
            PoolFollower f = followers.get((start + i) % n);
            String topic = config.topicFor(f.name());
            Map<String, Object> partition = OffsetFields.partition(f.name());
            int scanned = 0;
            while (batch.size() < batchMax && !stopping) {
                Message m = f.next();
                if (m == null) {
                    break;
                }
                SourceRecord record = recordOf(f, topic, partition, m);
                if (record != null) {
                    batch.add(record);
                    f.sent(m.seq() + 1);
                }
                // A long run of filtered-out messages must not hold the poll past its deadline, or stop().
                if ((++scanned & 1023) == 0 && System.nanoTime() - deadline >= 0) {
                    break;
                }
            }
            f.publishProgress();
        }
    }

    /**
     * Every heartbeat interval, one heartbeat record per pool whose read position moved past the last offset handed
     * out: Connect commits a source offset only with a record, and this is how filtered-out messages get committed.
     */
    private void addHeartbeats(List<SourceRecord> batch) {
        if (heartbeatTopic == null || System.nanoTime() - lastHeartbeat < heartbeatIntervalNanos) {
            return;
        }
        lastHeartbeat = System.nanoTime();
        for (PoolFollower f : followers) {
            Map<String, Object> offset = f.unsentProgress();
            if (offset != null) {
                batch.add(records.heartbeat(f.name(), heartbeatTopic, OffsetFields.partition(f.name()), offset));
                f.sent(OffsetFields.seq(offset));
            }
        }
    }

    /** The record of a message the filters keep, else null; a message that cannot be read in full fails the task. */
    private SourceRecord recordOf(PoolFollower f, String topic, Map<String, Object> partition, Message m) {
        try {
            return filter.test(m) ? records.record(f.name(), topic, partition, f.offsetAfter(m), m) : null;
        } catch (PoolException e) {
            throw new ConnectException("Pool '" + f.name() + "' seq " + m.seq() + ": " + e.kind().label() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        stopping = true;
        Thread t = pollThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        closePools();
    }

    /**
     * Closes the pool files. Called by stop() and, in case the poll thread opened a pool meanwhile, by the last poll.
     * A cursor still reading keeps a valid mapping: closing a pool only closes its channel.
     */
    private synchronized void closePools() {
        if (followers != null) {
            for (PoolFollower f : followers) {
                f.close();
            }
        }
    }

    /** For tests: the follower of a pool. */
    PoolFollower follower(String pool) {
        for (PoolFollower f : followers) {
            if (f.name().equals(pool)) {
                return f;
            }
        }
        return null;
    }
}
