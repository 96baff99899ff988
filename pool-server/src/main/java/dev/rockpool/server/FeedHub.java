package dev.rockpool.server;

import dev.rockpool.pool.Pool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link PoolFeed}s of the server, one per pool with streams: made by the first stream of a pool, gone when its
 * last stream ends (or its pool file is deleted).
 */
final class FeedHub {
    private final PoolHandles handles;
    private final ServerMetrics metrics;
    private final Map<String, PoolFeed> feeds = new HashMap<>();
    private boolean stopped;

    FeedHub(PoolHandles handles, ServerMetrics metrics) {
        this.handles = handles;
        this.metrics = metrics;
    }

    /** Hands a new stream to its pool's feed, starting one if needed; a stopped hub ends the stream at once. */
    synchronized void subscribe(String name, Subscription s) {
        if (stopped) {
            PoolFeed.stopped(s);
            return;
        }
        PoolFeed feed = feeds.get(name);
        if (feed != null && feed.pool.replacedOnDisk()) {
            // The pool was deleted (and perhaps made again): the old feed ends its streams on its own.
            feeds.remove(name);
            feed = null;
        }
        if (feed == null) {
            feed = new PoolFeed(name, Pool.open(handles.pathOf(name)), this, metrics.delivered(name));
            feeds.put(name, feed);
            feed.start();
        }
        s.feed = feed;
        feed.add(s);
    }

    /** Called by a feed with no streams left: true if it may end (no stream is joining it). */
    synchronized boolean retire(PoolFeed feed) {
        if (feed.hasJoining() && !stopped) {
            return false;
        }
        feeds.remove(feed.name, feed);
        return true;
    }

    void slowClient(PoolFeed feed) {
        metrics.slowClient(feed.name);
    }

    /** Ends every stream normally and waits up to {@code millis} for the feeds to finish. */
    void stop(long millis) throws InterruptedException {
        List<PoolFeed> all;
        synchronized (this) {
            stopped = true;
            all = new ArrayList<>(feeds.values());
            feeds.clear();
        }
        long deadline = System.currentTimeMillis() + millis;
        all.forEach(PoolFeed::stop);
        for (PoolFeed feed : all) {
            feed.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
    }
}
