package dev.rockpool.connect.sink;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pools a task writes to, by reference (name or path, after {@code ${topic}}): each opened (or created) on first
 * use, checked writable, read for recovery, and opened again when its file was deleted or replaced on disk. Every
 * pool failure becomes a task failure naming the pool, its path and the engine's reason.
 */
final class PoolTargets implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PoolTargets.class);

    private final PoolSinkConfig config;
    private final PoolDirectory directory;
    private final Map<String, PoolTarget> targets = new HashMap<>();

    PoolTargets(PoolSinkConfig config) {
        this.config = config;
        this.directory = config.poolDirectory();
    }

    PoolDirectory directory() {
        return directory;
    }

    /** The open pool for a reference; opened (or created) and read for recovery on first use. */
    PoolTarget target(String ref) {
        PoolTarget target = targets.get(ref);
        if (target != null && target.pool().replacedOnDisk()) {
            // Deleted (or recreated) under the task: what it held is gone, so start over with the file there now.
            log.warn("Pool {} at {} was deleted or replaced: opening it again", ref, target.pool().path());
            targets.remove(ref);
            target.close();
            target = null;
        }
        if (target == null) {
            target = new PoolTarget(ref, open(ref));
            targets.put(ref, target);
            refresh(target);
        }
        return target;
    }

    /**
     * Brings the pools of {@code partitions} up to date (and every pool already open: an SMT that renames topics may
     * land them elsewhere) and returns, per partition, the highest offset any of them holds.
     */
    Map<TopicPartition, Long> recover(Collection<TopicPartition> partitions) {
        Map<String, PoolTarget> refreshed = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            String ref = config.poolFor(tp.topic());
            if (!refreshed.containsKey(ref) && (targets.containsKey(ref) || exists(ref))) {
                refreshed.put(ref, target(ref));
            }
        }
        for (PoolTarget t : targets.values()) {
            refreshed.putIfAbsent(t.ref(), t);
        }
        for (PoolTarget t : refreshed.values()) {
            log.debug("Read {} new messages of pool {} for recovery", refresh(t), t.ref());
        }
        Map<TopicPartition, Long> written = new HashMap<>();
        for (TopicPartition tp : partitions) {
            for (PoolTarget t : targets.values()) {
                Long h = t.highest(tp);
                if (h != null) {
                    written.merge(tp, h, Math::max);
                }
            }
        }
        return written;
    }

    /** True if the pool file exists; false also for a reference that is no valid pool (put() then says why). */
    private boolean exists(String ref) {
        try {
            return Files.exists(directory.pathOf(ref));
        } catch (PoolException e) {
            return false;
        }
    }

    private long refresh(PoolTarget target) {
        try {
            return target.refresh();
        } catch (PoolException e) {
            throw failure(target.ref(), target.pool().path(), "Cannot read back for recovery", e);
        }
    }

    /** Opens (or, with {@code pool.create}, creates) a pool the task may write: the engine says whether it can. */
    private Pool open(String ref) {
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
            throw failure(ref, path, "Cannot open", e);
        }
        try {
            pool.checkWritable();
        } catch (PoolException e) {
            pool.close();
            throw failure(ref, path, "Cannot write to", e);
        }
        return pool;
    }

    /**
     * A pool failure as a task failure, {@code "<what> pool 'REF' at PATH: Kind: message"}; Busy (the batch was not
     * written) may be retried as a whole.
     */
    RuntimeException failure(PoolTarget target, String what, PoolException e) {
        return failure(target.ref(), target.pool().path(), what, e);
    }

    private RuntimeException failure(String ref, Path path, String what, PoolException e) {
        String hint = e.kind() == ErrorKind.NOT_FOUND && !config.createPools()
                ? " (" + PoolSinkConfig.POOL_CREATE_CONFIG + "=false: create it first, e.g. rockpool pool create "
                + ref + ")" : "";
        String message = what + " pool '" + ref + "' at " + path + ": " + e.kind().label() + ": " + e.getMessage()
                + hint;
        return e.kind() == ErrorKind.BUSY ? new RetriableException(message, e) : new ConnectException(message, e);
    }

    @Override
    public void close() {
        for (PoolTarget t : targets.values()) {
            t.close();
        }
        targets.clear();
    }
}
