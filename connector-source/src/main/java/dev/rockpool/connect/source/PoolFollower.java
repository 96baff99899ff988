package dev.rockpool.connect.source;

import dev.rockpool.connect.Counter;
import dev.rockpool.pool.Backlog;
import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Gap;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.Start;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * One pool followed by a task: opens the pool (waiting for it if it does not exist yet), positions a cursor from the
 * committed offset or {@code start.from}, and reads kept messages until {@code stop.at}. Also notices when the pool
 * file was deleted and created again, and moves on to the new file. Used by the task's poll thread only, except
 * {@link #backlog()}, {@link #lostMessages()} and {@link #gaps()}, which the metrics reporter reads from its thread.
 */
final class PoolFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PoolFollower.class);
    /** How often an idle follower checks whether its pool file was replaced (or, when missing, appeared). */
    static final long FILE_CHECK_INTERVAL_NANOS = 1_000_000_000L;

    private final String name;
    private final Path path;
    private final Map<String, Object> committedOffset;
    private final Start configuredStart;
    private final Positions.StopAt stopAt;
    private final GapPolicy gapPolicy;
    private final Counter lostMessages = new Counter();
    private final Counter gaps = new Counter();

    /** Volatile for the metrics reporter, which asks the open pool for the backlog. */
    private volatile Pool pool;
    private Cursor cursor;
    private volatile boolean finished;
    /** The cursor's next seq as the metrics reporter sees it: published once per read round, not per message. */
    private volatile long readSeq;
    private volatile boolean closed;
    private boolean waitingLogged;
    private long lastFileCheck;
    /** The seq the last offset handed to Connect (with a record or a heartbeat) points at; -1 before the pool opens. */
    private long sentSeq = -1;

    /**
     * @param committedOffset the offset Connect has for this pool ({@link OffsetFields}), or null
     */
    PoolFollower(String name, Path path, Map<String, Object> committedOffset, Start configuredStart,
                 Positions.StopAt stopAt, GapPolicy gapPolicy) {
        this.name = name;
        this.path = path;
        this.committedOffset = committedOffset;
        this.configuredStart = configuredStart;
        this.stopAt = stopAt;
        this.gapPolicy = gapPolicy;
        this.lastFileCheck = System.nanoTime();
    }

    String name() {
        return name;
    }

    /** Messages lost to gaps since the task started (policy continue). */
    Counter lostMessages() {
        return lostMessages;
    }

    /** Gaps seen since the task started (policy continue). */
    Counter gaps() {
        return gaps;
    }

    /** Makes the read position visible to {@link #backlog()}; the poll thread calls it after each round of reads. */
    void publishProgress() {
        Cursor c = cursor;
        if (c != null) {
            readSeq = c.nextSeq();
        }
    }

    /**
     * What the task has not read of its pool, from any thread: null while the task does not follow the pool (it does
     * not exist yet, stop.at ended it, or the task is stopping).
     */
    Backlog backlog() {
        Pool p = pool;
        if (p == null || finished || closed) {
            return null;
        }
        try {
            return p.backlog(readSeq);
        } catch (PoolException e) {
            return null; // closed meanwhile
        }
    }

    /** The pool id of the open pool, or null while waiting for it. */
    String poolId() {
        return pool == null ? null : pool.id();
    }

    /** True once stop.at was passed: nothing more comes from this pool. */
    boolean finished() {
        return finished;
    }

    /**
     * The next message to send, or null if there is none right now (caught up, pool missing, or finished). Messages
     * the filter drops are read past here; their seqs are covered by the offset of the next record sent.
     *
     * @throws ConnectException for a gap with policy fail, or an unreadable pool
     */
    Message next() {
        if (finished || closed) {
            return null;
        }
        if (cursor == null && !open()) {
            return null;
        }
        Message m;
        try {
            m = cursor.next();
        } catch (PoolException e) {
            throw failure(e);
        }
        if (m == null) {
            maybeCheckFile();
            return null;
        }
        if (stopAt != null && stopAt.isPast(m)) {
            finish("seq " + m.seq() + " is past it");
            return null;
        }
        return m;
    }

    /** Opens the pool and positions the cursor; false (with one log line) while the pool does not exist. */
    private boolean open() {
        long now = System.nanoTime();
        if (waitingLogged && now - lastFileCheck < FILE_CHECK_INTERVAL_NANOS) {
            return false;
        }
        lastFileCheck = now;
        Pool opened;
        try {
            opened = Pool.open(path);
        } catch (PoolException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                if (!waitingLogged) {
                    log.info("Pool '{}' does not exist yet at {}; waiting for it to be created", name, path);
                    waitingLogged = true;
                }
                return false;
            }
            throw failure(e);
        }
        if (waitingLogged) {
            log.info("Pool '{}' appeared at {}", name, path);
        }
        synchronized (this) {
            if (closed) {
                opened.close();
                return false;
            }
            attach(opened, startFor(opened));
        }
        return cursor != null;
    }

    /** Where to start in a freshly opened pool: the committed seq when the offset is for this pool file. */
    private Start startFor(Pool opened) {
        if (committedOffset == null) {
            log.info("Pool '{}' (id {}) has no committed offset; starting from {}", name, opened.id(),
                    configuredStart);
            return configuredStart;
        }
        long seq = OffsetFields.seq(committedOffset);
        String committedId = OffsetFields.poolId(committedOffset);
        if (committedId != null && !committedId.equals(opened.id())) {
            log.warn("Pool '{}' at {} was recreated: the committed offset (seq {}) belongs to pool id {}, the file "
                    + "now has id {}; starting at the earliest message of the new pool", name, path, seq,
                    committedId, opened.id());
            return Start.earliest();
        }
        log.info("Pool '{}' (id {}) resuming at committed seq {}", name, opened.id(), seq);
        return Start.seq(seq);
    }

    private void attach(Pool opened, Start start) {
        pool = opened;
        cursor = pool.cursor(start, gapPolicy, this::onGap);
        sentSeq = cursor.nextSeq();
        readSeq = cursor.nextSeq();
        if (stopAt != null && stopAt.reachedBefore(cursor.nextSeq())) {
            finish("the next seq " + cursor.nextSeq() + " is past it");
        }
    }

    private void onGap(Gap gap) {
        gaps.increment();
        lostMessages.add(gap.count());
        log.warn("Pool '{}': {} messages from seq {} were overwritten before they were read; continuing at seq {} "
                + "(on.gap=continue)", name, gap.count(), gap.firstMissingSeq(), gap.resumeSeq());
    }

    private void finish(String why) {
        finished = true;
        log.info("Pool '{}' reached stop.at={} ({}); sending nothing more from it", name, stopAt, why);
    }

    /**
     * When caught up, checks now and then whether the file at the pool's path is still the one that is open. A
     * different pool there (deleted and created again: a new pool id) restarts at its earliest message; the same pool
     * under a new inode (moved or copied back) goes on at the same seq in the file now there.
     */
    private void maybeCheckFile() {
        long now = System.nanoTime();
        if (now - lastFileCheck < FILE_CHECK_INTERVAL_NANOS) {
            return;
        }
        lastFileCheck = now;
        if (!pool.replacedOnDisk()) {
            return;
        }
        Pool replacement;
        try {
            replacement = Pool.open(path);
        } catch (PoolException e) {
            // Deleted, being created or replaced right now: look again at the next check.
            log.debug("Pool '{}': cannot open the file at its path: {}", name, e.getMessage());
            return;
        }
        boolean samePool = replacement.id().equals(pool.id());
        if (!samePool) {
            log.warn("Pool '{}' at {} was recreated (pool id {} -> {}) after seq {} of the old pool; starting at the "
                    + "earliest message of the new pool", name, path, pool.id(), replacement.id(),
                    cursor.nextSeq() - 1);
        }
        synchronized (this) {
            pool.close();
            if (closed) {
                replacement.close();
                return;
            }
            long sent = sentSeq;
            attach(replacement, samePool ? Start.seq(cursor.nextSeq()) : Start.earliest());
            sentSeq = samePool ? sent : sentSeq;
        }
    }

    /** A gap (fail) or a bad pool fails the task; I/O trouble or a busy lock is retried by the worker's next poll. */
    private ConnectException failure(PoolException e) {
        if (e.kind() == ErrorKind.IO || e.kind() == ErrorKind.BUSY) {
            return new RetriableException("Pool '" + name + "' (" + path + "): " + e.kind().label() + ": "
                    + e.getMessage(), e);
        }
        if (e.kind() == ErrorKind.RETENTION_GAP) {
            return new ConnectException("Pool '" + name + "' (" + path + "): " + e.getMessage()
                    + " (on.gap=fail); first missing seq " + e.seq(), e);
        }
        return new ConnectException("Pool '" + name + "' (" + path + "): " + e.kind().label() + ": "
                + e.getMessage(), e);
    }

    /**
     * The offset of the read position when messages were read past the last offset handed out (all filtered out),
     * else null. Handing it out (on a heartbeat record) lets Connect commit past them.
     */
    Map<String, Object> unsentProgress() {
        if (cursor == null || closed || cursor.nextSeq() <= sentSeq) {
            return null;
        }
        return OffsetFields.offset(cursor.nextSeq(), pool.id());
    }

    /** Records that an offset pointing at {@code seq} was handed to Connect. */
    void sent(long seq) {
        sentSeq = Math.max(sentSeq, seq);
    }

    /** The offset after {@code m}: the next seq to read, in this pool file. */
    Map<String, Object> offsetAfter(Message m) {
        return OffsetFields.offset(m.seq() + 1, pool.id());
    }

    /**
     * Closes the pool file; later calls of {@link #next()} return null. Safe from another thread while the poll thread
     * reads: the cursor keeps a valid mapping, closing only releases the file channel.
     */
    @Override
    public synchronized void close() {
        closed = true;
        Pool p = pool;
        if (p != null) {
            p.close();
        }
    }
}
