package dev.rockpool.client;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.PoolException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a remote tail asks for. Where it starts: {@link #sinceSeq} (inclusive), {@link #tail} (the last N matching
 * messages; 0 is "from now"), {@link #sinceTimeNanos}, or by default the oldest message. Filters run on the server.
 *
 * @param sinceSeq       start at this seq, or null
 * @param tail           start with the last N messages that pass the filters, or null
 * @param sinceTimeNanos start at the first message at or after this time (ns since the epoch), or null
 * @param tags           tags every message must carry
 * @param wheres         jq predicates every message must pass (the {@code follow --where} dialect)
 * @param max            messages to receive before the tail ends, or null for no limit
 * @param timeout        how long the whole tail may last, across reconnects, or null for no limit
 * @param idleTimeout    how long the tail may go without a message (from its start, then from the last message
 *                       received) before it ends, or null for no limit; {@link RemoteTail#idledOut()} tells it ended so
 * @param gapPolicy      CONTINUE (skip what was overwritten) or FAIL (RetentionGap)
 * @param follow         false: end once every message there was when the tail caught up has been received
 */
public record TailOptions(Long sinceSeq, Long tail, Long sinceTimeNanos, List<String> tags, List<String> wheres,
                          Long max, Duration timeout, Duration idleTimeout, GapPolicy gapPolicy, boolean follow) {
    public TailOptions {
        tags = List.copyOf(tags);
        wheres = List.copyOf(wheres);
        int starts = (sinceSeq != null ? 1 : 0) + (tail != null ? 1 : 0) + (sinceTimeNanos != null ? 1 : 0);
        if (starts > 1) {
            throw new PoolException(ErrorKind.USAGE, "sinceSeq, tail and sinceTime exclude each other");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link TailOptions}: by default from the oldest message, no filter, no limit, following. */
    public static final class Builder {
        private Long sinceSeq;
        private Long tail;
        private Long sinceTimeNanos;
        private final List<String> tags = new ArrayList<>();
        private final List<String> wheres = new ArrayList<>();
        private Long max;
        private Duration timeout;
        private Duration idleTimeout;
        private GapPolicy gapPolicy = GapPolicy.CONTINUE;
        private boolean follow = true;

        public Builder sinceSeq(long seq) {
            sinceSeq = seq;
            return this;
        }

        public Builder tail(long n) {
            tail = n;
            return this;
        }

        /** Only messages appended from now on: {@code tail(0)}. */
        public Builder fromNow() {
            return tail(0);
        }

        public Builder sinceTimeNanos(long nanos) {
            sinceTimeNanos = nanos;
            return this;
        }

        public Builder tag(String tag) {
            tags.add(tag);
            return this;
        }

        public Builder where(String jq) {
            wheres.add(jq);
            return this;
        }

        public Builder max(long n) {
            max = n;
            return this;
        }

        public Builder timeout(Duration d) {
            timeout = d;
            return this;
        }

        /** Ends the tail when {@code d} passes without a message (the CLI's {@code follow --timeout}). */
        public Builder idleTimeout(Duration d) {
            idleTimeout = d;
            return this;
        }

        public Builder gapPolicy(GapPolicy p) {
            gapPolicy = p;
            return this;
        }

        public Builder follow(boolean f) {
            follow = f;
            return this;
        }

        public TailOptions build() {
            return new TailOptions(sinceSeq, tail, sinceTimeNanos, tags, wheres, max, timeout, idleTimeout, gapPolicy,
                    follow);
        }
    }
}
