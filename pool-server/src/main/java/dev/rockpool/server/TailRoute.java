package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.Start;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.Scheduler;

import java.util.ArrayList;
import java.util.List;
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
    private final HttpStreams streams;
    private final ServerMetrics metrics;
    private final Scheduler scheduler;

    TailRoute(PoolHandles pools, HttpStreams streams, ServerMetrics metrics, Scheduler scheduler) {
        this.pools = pools;
        this.streams = streams;
        this.metrics = metrics;
        this.scheduler = scheduler;
    }

    /** What a tail request asks for beyond what every stream does. */
    record Request(StreamRequest stream, long max, long timeoutMillis, boolean follow) {
    }

    void tail(Exchange x) {
        Request r = parse(x.query());
        String name = x.pool();
        Pool pool = pools.get(name);
        streams.slots().acquire();
        try {
            Start start = r.stream().start(pool, Start.earliest());
            open(x, name, r, start);
        } catch (RuntimeException | Error e) {
            streams.slots().release();
            throw e;
        }
    }

    private void open(Exchange x, String name, Request r, Start start) {
        if (start.kind() == Start.Kind.SEQ) {
            x.response.getHeaders().put(START_SEQ_HEADER, start.value());
        }
        Scheduler.Task[] deadline = new Scheduler.Task[1];
        List<Subscription> subscriptions = new ArrayList<>(1);
        ResponseStream stream = streams.open(x, "tail", "application/jsonl", Framing.JSON_LINES, List.of(name),
                new long[1], subscriptions, () -> {
                    if (deadline[0] != null) {
                        deadline[0].cancel();
                    }
                });
        subscriptions.add(new Subscription(r.stream().filter(), start, r.stream().gapPolicy(), r.max(), r.follow(),
                stream.delivery(0)));
        deadline[0] = scheduler.schedule(stream::end, r.timeoutMillis(), TimeUnit.MILLISECONDS);
        if (r.max() == 0) {
            stream.end();
        }
        streams.start(x, stream, List.of(name), subscriptions);
    }

    private Request parse(Fields q) {
        StreamRequest stream = StreamRequest.parse(q, null);
        Long max = StreamRequest.number(q, "max");
        Long timeout = StreamRequest.number(q, "timeout_ms");
        long maxTimeout = streams.limits().maxStreamDuration().toMillis();
        if (timeout != null && timeout > maxTimeout) {
            metrics.refused("stream_duration");
            throw new PoolException(ErrorKind.USAGE, "timeout_ms=" + timeout + " exceeds the server's limit of "
                    + maxTimeout, null, null, null, "use timeout_ms <= " + maxTimeout + " and reconnect", null);
        }
        return new Request(stream, max == null ? Long.MAX_VALUE : max, timeout == null ? maxTimeout : timeout,
                !"false".equals(q.getValue("follow")));
    }
}
