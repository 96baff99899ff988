package dev.rockpool.server;

import dev.rockpool.filter.MessageFilter;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.Start;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.Scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v0/pools/{pool}/tail}: a JSON Lines stream of the pool's messages, plasmite's parameters
 * ({@code since_seq} inclusive, {@code max}, {@code timeout_ms} as the stream's whole life, repeated {@code tag} all
 * required, {@code gap_policy=continue|error}) and rockpool's ({@code where} jq predicates, {@code tail=N} for the
 * last N matching messages, {@code since_time}, {@code follow=false} to end once caught up). Everything is checked
 * before the response starts, so a bad request is a plain error status; a failure later is one last error line.
 */
final class TailRoute {
    /** Response header: the seq a stream that started at a seq begins with, for the client to resume from. */
    static final String START_SEQ_HEADER = "rockpool-start-seq";

    private final PoolHandles pools;
    private final FeedHub feeds;
    private final ServerMetrics metrics;
    private final ServerLimits limits;
    private final Semaphore streamSlots;
    private final Scheduler scheduler;

    TailRoute(PoolHandles pools, FeedHub feeds, ServerMetrics metrics, ServerLimits limits, Scheduler scheduler) {
        this.pools = pools;
        this.feeds = feeds;
        this.metrics = metrics;
        this.limits = limits;
        this.streamSlots = new Semaphore(limits.maxConcurrentStreams());
        this.scheduler = scheduler;
    }

    /** What a tail request asks for, parsed and checked. */
    record Request(MessageFilter filter, Long sinceSeq, Long tail, Long sinceTimeNanos, long max, long timeoutMillis,
                   GapPolicy gapPolicy, boolean follow) {
    }

    void tail(Exchange x) {
        Request r = parse(x.query());
        String name = x.pool();
        Pool pool = pools.get(name);
        if (!streamSlots.tryAcquire()) {
            metrics.refused("streams");
            throw new Refusal(423, ErrorKind.BUSY, "too many streams open (" + limits.maxConcurrentStreams() + ")",
                    "try again later");
        }
        try {
            Start start = start(pool, r);
            open(x, name, r, start);
        } catch (RuntimeException | Error e) {
            streamSlots.release();
            throw e;
        }
    }

    private void open(Exchange x, String name, Request r, Start start) {
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/jsonl");
        x.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, no-transform");
        x.response.getHeaders().put("X-Accel-Buffering", "no");
        // The connection is watched for the client going away (ClientWatch), so it is not reused after the stream;
        // chunked all the same, so a client can tell a stream's end from a connection that broke.
        x.response.getHeaders().put(HttpHeader.CONNECTION, "close");
        x.response.getHeaders().put(HttpHeader.TRANSFER_ENCODING, "chunked");
        if (start.kind() == Start.Kind.SEQ) {
            x.response.getHeaders().put(START_SEQ_HEADER, start.value());
        }
        x.streaming(200);
        metrics.streamOpened(name);
        Subscription[] self = new Subscription[1];
        Scheduler.Task[] deadline = new Scheduler.Task[1];
        ResponseStream stream = new ResponseStream(x.response, x.callback, Framing.JSON_LINES,
                limits.maxBufferedBytesPerClient(), () -> self[0].drained(), failure -> {
                    streamSlots.release();
                    metrics.streamClosed(name);
                    if (deadline[0] != null) {
                        deadline[0].cancel();
                    }
                });
        Subscription s = new Subscription(r.filter(), start, r.gapPolicy(), r.max(), r.follow(), stream);
        self[0] = s;
        x.request.addFailureListener(stream::abort);
        ClientWatch.watch(x.request, stream::abort);
        x.request.addIdleTimeoutListener(timeout -> !s.delivery.isOpen());
        deadline[0] = scheduler.schedule(stream::end, r.timeoutMillis(), TimeUnit.MILLISECONDS);
        if (r.max() == 0) {
            stream.end();
        }
        stream.iterate(); // commits the status and headers now: the client knows its stream is open
        try {
            feeds.subscribe(name, s);
        } catch (PoolException e) {
            stream.fail(e); // the response has begun: the failure is its last line
        }
    }

    private Request parse(Fields q) {
        List<String> tags = new ArrayList<>();
        for (String tag : q.getValuesOrEmpty("tag")) {
            if (!tag.isBlank()) {
                tags.add(tag.strip());
            }
        }
        MessageFilter filter = MessageFilter.of(tags, q.getValuesOrEmpty("where"));
        Long sinceSeq = number(q, "since_seq");
        Long tail = number(q, "tail");
        String sinceTime = q.getValue("since_time");
        if ((sinceSeq != null ? 1 : 0) + (tail != null ? 1 : 0) + (sinceTime != null ? 1 : 0) > 1) {
            throw new PoolException(ErrorKind.USAGE, "since_seq, tail and since_time exclude each other");
        }
        Long max = number(q, "max");
        Long timeout = number(q, "timeout_ms");
        long maxTimeout = limits.maxStreamDuration().toMillis();
        if (timeout != null && timeout > maxTimeout) {
            metrics.refused("stream_duration");
            throw new PoolException(ErrorKind.USAGE, "timeout_ms=" + timeout + " exceeds the server's limit of "
                    + maxTimeout, null, null, null, "use timeout_ms <= " + maxTimeout + " and reconnect", null);
        }
        return new Request(filter, sinceSeq, tail, sinceTime == null ? null : TimeFormat.parseRfc3339(sinceTime),
                max == null ? Long.MAX_VALUE : max, timeout == null ? maxTimeout : timeout,
                gapPolicy(q.getValue("gap_policy")), !"false".equals(q.getValue("follow")));
    }

    private static Long number(Fields q, String name) {
        String text = q.getValue(name);
        if (text == null) {
            return null;
        }
        try {
            long n = Long.parseLong(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the Usage error below
        }
        throw new PoolException(ErrorKind.USAGE, name + "=" + text + ": expected a whole number >= 0");
    }

    /** plasmite's {@code continue|error}; {@code fail} (the CLI's word) means {@code error}. */
    private static GapPolicy gapPolicy(String text) {
        if (text == null) {
            return GapPolicy.CONTINUE;
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "continue": return GapPolicy.CONTINUE;
            case "error":
            case "fail": return GapPolicy.FAIL;
            default: throw new PoolException(ErrorKind.USAGE, "gap_policy=" + text + ": expected continue or error");
        }
    }

    /**
     * Where the stream starts: {@code since_seq} (inclusive), {@code since_time}, {@code tail=N} (the last N
     * messages that pass the filter), else the oldest message. A {@code tail} start is turned into the seq it
     * names here, so the client can be told (and resume from) exactly where its stream began.
     */
    private static Start start(Pool pool, Request r) {
        if (r.sinceSeq() != null) {
            return Start.seq(Math.max(1, r.sinceSeq()));
        }
        if (r.sinceTimeNanos() != null) {
            return Start.time(r.sinceTimeNanos());
        }
        if (r.tail() == null) {
            return Start.earliest();
        }
        boolean byCount = r.filter().keepsAll() || r.tail() == 0;
        try (Cursor c = pool.cursor(byCount ? Start.tail(r.tail()) : Start.earliest())) {
            if (byCount) {
                return Start.seq(c.nextSeq());
            }
            ArrayDeque<Long> last = new ArrayDeque<>();
            for (Message m = c.next(); m != null; m = c.next()) {
                if (r.filter().test(m)) {
                    if (last.size() == r.tail()) {
                        last.removeFirst();
                    }
                    last.addLast(m.seq());
                }
            }
            // Nothing matched: start where the pass ended, so nothing appended meanwhile is missed.
            return Start.seq(last.isEmpty() ? c.nextSeq() : last.getFirst());
        }
    }
}
