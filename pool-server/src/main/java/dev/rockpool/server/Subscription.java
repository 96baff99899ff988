package dev.rockpool.server;

import dev.rockpool.filter.MessageFilter;
import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.Start;

/**
 * One stream's wishes and progress, as its pool's {@link PoolFeed} sees them. The fields below {@link #delivery}
 * belong to the feed thread.
 */
final class Subscription {
    final MessageFilter filter;
    final Start start;
    final GapPolicy gapPolicy;
    /** Messages to send before ending; {@link Long#MAX_VALUE} for no limit. */
    final long maxMessages;
    /** False: end once every message present when the stream caught up has been sent. */
    final boolean follow;
    final Delivery delivery;

    /** The feed serving this stream, once subscribed. */
    volatile PoolFeed feed;

    /** The seq this stream needs next: every earlier one was sent, filtered out, or lost to a gap. */
    long nextSeq;
    /** Messages sent so far. */
    long sent;
    /** Reads this stream's old messages until it catches up with the feed; null once live. */
    Cursor catchUp;

    Subscription(MessageFilter filter, Start start, GapPolicy gapPolicy, long maxMessages, boolean follow,
                 Delivery delivery) {
        this.filter = filter;
        this.start = start;
        this.gapPolicy = gapPolicy;
        this.maxMessages = maxMessages;
        this.follow = follow;
        this.delivery = delivery;
    }

    /**
     * The client's buffer drained: a stream catching up may read more now, so its feed stops pausing. (Read across
     * threads without a lock: a stale answer only costs one pause of the feed.)
     */
    void drained() {
        PoolFeed f = feed;
        if (f != null && catchUp != null && !f.isFeedThread()) {
            f.wakeup();
        }
    }
}
