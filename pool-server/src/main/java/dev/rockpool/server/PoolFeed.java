package dev.rockpool.server;

import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Gap;
import dev.rockpool.pool.GapListener;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.Start;
import dev.rockpool.pool.WaitStrategy;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one reader of a pool that feeds all its streams, on one thread of its own: it reads each new message once and
 * offers it to every live {@link Subscription} (each filters it, and frames it from the message's shared wire
 * form). A stream that starts in the past first catches up with a cursor of its own, read by this same thread only
 * while the stream's buffer has room (the pool is its buffer), then goes live. Nothing here ever waits for a client:
 * a live client whose buffer is full is cut off by its {@link Delivery}, and the others do not notice.
 */
final class PoolFeed implements Runnable {
    /** Messages read per pass, per live feed and per catching-up stream, so no one starves the others. */
    private static final int BATCH = 512;
    /** Longest park while the pool is quiet: the latency of a message after a quiet spell. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How often the feed checks that its pool file still exists under its name. */
    private static final long FILE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    final String name;
    final Pool pool;
    private final FeedHub hub;
    private final CounterDataPoint delivered;
    private final ConcurrentLinkedQueue<Subscription> joining = new ConcurrentLinkedQueue<>();
    private final List<Subscription> catchingUp = new ArrayList<>();
    private final List<Subscription> live = new ArrayList<>();
    private final Thread thread;
    private Cursor cursor;
    private volatile boolean stopping;

    PoolFeed(String name, Pool pool, FeedHub hub, CounterDataPoint delivered) {
        this.name = name;
        this.pool = pool;
        this.hub = hub;
        this.delivered = delivered;
        this.thread = new Thread(this, "rockpool-feed-" + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Adds a stream; the feed thread positions it. */
    void add(Subscription s) {
        joining.add(s);
        wakeup();
    }

    boolean hasJoining() {
        return !joining.isEmpty();
    }

    /** Cuts the feed's pause short (a new stream, a drained client buffer). */
    void wakeup() {
        LockSupport.unpark(thread);
    }

    /** True on the feed's own thread (a write it started may complete right there). */
    boolean isFeedThread() {
        return Thread.currentThread() == thread;
    }

    /** Ends every stream normally and lets the thread go; {@link #join} waits for it. */
    void stop() {
        stopping = true;
        wakeup();
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    @Override
    public void run() {
        WaitStrategy.Idler idler = WaitStrategy.backoff(MAX_PARK_NANOS).newIdler();
        long nextFileCheck = System.nanoTime() + FILE_CHECK_NANOS;
        try {
            while (!stopping) {
                admit();
                boolean busy = deliverLive() | catchUp();
                live.removeIf(s -> !s.delivery.isOpen());
                if (live.isEmpty() && catchingUp.isEmpty() && hub.retire(this)) {
                    return;
                }
                if (System.nanoTime() - nextFileCheck >= 0) {
                    nextFileCheck = System.nanoTime() + FILE_CHECK_NANOS;
                    if (pool.replacedOnDisk()) {
                        failAll(new PoolException(ErrorKind.NOT_FOUND, "pool " + name + " was deleted"));
                        continue;
                    }
                }
                if (busy) {
                    idler.reset();
                } else {
                    idler.idle();
                }
            }
            joining.forEach(catchingUp::add);
            live.forEach(PoolFeed::stopped);
            catchingUp.forEach(PoolFeed::stopped);
        } catch (RuntimeException | Error e) {
            failAll(e instanceof PoolException ? (PoolException) e
                    : new PoolException(ErrorKind.INTERNAL, "stream failed: " + e, null, null, null, null, e));
            hub.retire(this);
        } finally {
            pool.close();
        }
    }

    /**
     * The server is stopping: the stream's last line says where to resume (a normal end would read as "caught up"
     * to a client that asked for what is there and no more).
     */
    static void stopped(Subscription s) {
        Long resume = s.nextSeq > 0 ? Long.valueOf(s.nextSeq)
                : s.start.kind() == Start.Kind.SEQ ? Long.valueOf(s.start.value()) : null;
        s.delivery.fail(new PoolException(ErrorKind.BUSY, "server stopping" + (resume == null ? ""
                : "; resume with since_seq=" + resume), null, resume, null, "reconnect when the server is back",
                null));
    }

    private void failAll(PoolException e) {
        for (Subscription s = joining.poll(); s != null; s = joining.poll()) {
            catchingUp.add(s);
        }
        live.forEach(s -> s.delivery.fail(e));
        catchingUp.forEach(s -> s.delivery.fail(e));
        live.clear();
        catchingUp.clear();
    }

    /** Positions the streams that joined: each starts catching up with a cursor of its own. */
    private void admit() {
        for (Subscription s = joining.poll(); s != null; s = joining.poll()) {
            try {
                s.catchUp = pool.cursor(s.start, s.gapPolicy, GapListener.IGNORE);
                s.nextSeq = s.catchUp.nextSeq();
                catchingUp.add(s);
            } catch (PoolException e) {
                s.delivery.fail(e);
            }
        }
    }

    /**
     * Reads new messages once and offers each to every live stream, then has each stream send its share in one
     * write; true if there were any.
     */
    private boolean deliverLive() {
        if (live.isEmpty()) {
            return false;
        }
        int n = 0;
        for (Message m = cursor.next(); m != null; m = n < BATCH ? cursor.next() : null) {
            Outgoing out = new Outgoing(m);
            for (Subscription s : live) {
                deliver(s, out);
            }
            n++;
        }
        if (n > 0) {
            live.forEach(s -> s.delivery.flush());
        }
        return n > 0;
    }

    /** Feeds each catching-up stream from its own cursor while its buffer has room; true if any moved. */
    private boolean catchUp() {
        boolean moved = false;
        for (int i = 0; i < catchingUp.size(); i++) {
            Subscription s = catchingUp.get(i);
            try {
                int n = 0;
                while (n < BATCH && s.delivery.hasRoom()) {
                    Message m = s.catchUp.next();
                    if (m == null) {
                        caughtUp(s);
                        break;
                    }
                    deliver(s, new Outgoing(m));
                    n++;
                }
                s.delivery.flush();
                moved |= n > 0;
            } catch (PoolException e) {
                s.delivery.fail(e);
            }
        }
        catchingUp.removeIf(s -> s.catchUp == null || !s.delivery.isOpen());
        return moved;
    }

    /** A stream has read everything there was: it ends (no follow) or joins the live streams. */
    private void caughtUp(Subscription s) {
        s.nextSeq = Math.max(s.nextSeq, s.catchUp.nextSeq());
        s.catchUp = null;
        if (!s.follow) {
            s.delivery.end();
            return;
        }
        if (live.isEmpty()) {
            // No live stream kept the feed's cursor moving: start it where this stream stands, nothing skipped.
            cursor = pool.cursor(Start.seq(s.nextSeq), GapPolicy.CONTINUE, this::onGap);
        }
        live.add(s);
    }

    /** The feed was lapped: streams that may not lose messages end with RetentionGap. */
    private void onGap(Gap gap) {
        for (Subscription s : live) {
            if (s.gapPolicy == GapPolicy.FAIL && s.nextSeq < gap.resumeSeq() && s.delivery.isOpen()) {
                long first = Math.max(s.nextSeq, gap.firstMissingSeq());
                s.delivery.fail(new PoolException(ErrorKind.RETENTION_GAP, "messages from seq " + first
                        + " were overwritten before they were sent; oldest now " + gap.resumeSeq(), null, first, null,
                        "use a larger pool, read faster, or accept gaps (gap_policy=continue)", null));
            }
        }
    }

    private void deliver(Subscription s, Outgoing out) {
        Message m = out.message;
        if (m.seq() < s.nextSeq || !s.delivery.isOpen()) {
            return;
        }
        s.nextSeq = m.seq() + 1;
        try {
            if (!s.filter.test(m)) {
                return;
            }
        } catch (PoolException e) {
            s.delivery.fail(e);
            return;
        }
        if (!s.delivery.offer(out)) {
            hub.slowClient(this);
            return;
        }
        delivered.inc();
        if (++s.sent >= s.maxMessages) {
            s.delivery.end();
        }
    }
}
