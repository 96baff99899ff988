package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.Start;
import org.eclipse.jetty.http.HttpHeader;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Server-Sent Events ({@link SseFraming}): {@code GET /v0/pools/{pool}/events}, {@code GET /v0/events?pool=a&pool=b}
 * over several pools, and Plasma's {@code GET /?eventType=a,b} over the pool configured for it. Filters and starts are
 * the tail's ({@link StreamRequest}) plus the event types ({@code eventType=a,b} by default: a message carrying any of
 * them); without a start, a stream begins with what is appended from now on. A {@code Last-Event-ID} header (or
 * {@code lastEventId} parameter, as EventSource polyfills send it) resumes right after the event it names, across
 * reconnects and server restarts alike. Streams last until the client leaves or the server stops.
 */
final class EventsRoute {
    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private final PoolHandles pools;
    private final HttpStreams streams;
    private final Heartbeats heartbeats;
    private final PushSettings push;

    EventsRoute(PoolHandles pools, HttpStreams streams, Heartbeats heartbeats, PushSettings push) {
        this.pools = pools;
        this.streams = streams;
        this.heartbeats = heartbeats;
        this.push = push;
    }

    /** {@code GET /v0/pools/{pool}/events}. */
    void poolEvents(Exchange x) {
        StreamRequest r = StreamRequest.parse(x.query(), push.eventQuery());
        List<String> names = List.of(x.pool());
        serve(x, names, r, SseFraming.envelopes(names, r.filter(), push.retry()));
    }

    /** {@code GET /v0/events?pool=a&pool=b}: one stream over several pools, in seq order within each. */
    void events(Exchange x) {
        StreamRequest r = StreamRequest.parse(x.query(), push.eventQuery());
        List<String> names = List.copyOf(new LinkedHashSet<>(x.query().getValuesOrEmpty("pool")));
        if (names.isEmpty()) {
            throw new PoolException(ErrorKind.USAGE, "name the pools to stream: /v0/events?pool=a&pool=b");
        }
        serve(x, names, r, SseFraming.envelopes(names, r.filter(), push.retry()));
    }

    /** True for a request that asks for an event stream (EventSource sends {@code Accept: text/event-stream}). */
    static boolean wantsEvents(Exchange x) {
        String accept = x.request.getHeaders().get(HttpHeader.ACCEPT);
        return accept != null && accept.contains("text/event-stream");
    }

    /** {@code GET /?eventType=a,b} with {@code Accept: text/event-stream}: Plasma's endpoint. */
    void plasma(Exchange x) {
        String pool = push.plasmaPool();
        if (pool == null) {
            throw new Refusal(404, ErrorKind.NOT_FOUND, "no pool is served to Plasma clients here",
                    "start the server with --plasma-pool NAME, or use /v0/pools/NAME/events");
        }
        StreamRequest r = StreamRequest.parse(x.query(), push.eventQuery());
        if (r.filter().anyTags().isEmpty()) {
            throw new PoolException(ErrorKind.USAGE, "specify event queries: /?" + push.eventQuery() + "=a,b");
        }
        serve(x, List.of(pool), r, SseFraming.plasma(pool, r.filter(), push.retry()));
    }

    private void serve(Exchange x, List<String> names, StreamRequest r, SseFraming framing) {
        List<Pool> opened = new ArrayList<>(names.size());
        names.forEach(name -> opened.add(pools.get(name)));
        String lastId = lastEventId(x);
        long[] last = lastId == null ? null : SseFraming.parseId(lastId, names);
        streams.slots().acquire();
        try {
            long[] start = new long[names.size()];
            for (int i = 0; i < start.length; i++) {
                start[i] = startSeq(opened.get(i), r, last == null ? -1 : last[i]);
            }
            open(x, names, r, framing, start);
        } catch (RuntimeException | Error e) {
            streams.slots().release();
            throw e;
        }
    }

    private void open(Exchange x, List<String> names, StreamRequest r, SseFraming framing, long[] start) {
        List<Subscription> subscriptions = new ArrayList<>(names.size());
        ResponseStream[] self = new ResponseStream[1];
        ResponseStream stream = streams.open(x, "sse", "text/event-stream", framing, names, start, subscriptions,
                () -> heartbeats.remove(self[0]));
        self[0] = stream;
        for (int i = 0; i < names.size(); i++) {
            subscriptions.add(new Subscription(r.filter(), Start.seq(start[i]), r.gapPolicy(), Long.MAX_VALUE, true,
                    stream.delivery(i)));
        }
        heartbeats.add(stream);
        streams.start(x, stream, names, subscriptions);
    }

    private static String lastEventId(Exchange x) {
        String id = x.request.getHeaders().get(LAST_EVENT_ID);
        if (id == null || id.isBlank()) {
            id = x.query().getValue("lastEventId");
        }
        return id == null || id.isBlank() ? null : id;
    }

    /**
     * Where a stream starts in a pool: right after the last seq its client received ({@code last >= 0}), else where
     * the request says, else at the next message appended. A last seq at or past the pool's next seq cannot be from
     * this pool: it was deleted and made again since, so the client gets all of the new one.
     */
    private static long startSeq(Pool pool, StreamRequest r, long last) {
        if (last >= 0) {
            long next = StreamRequest.seqOf(pool, Start.latest());
            return last < next ? last + 1 : StreamRequest.seqOf(pool, Start.earliest());
        }
        return StreamRequest.seqOf(pool, r.start(pool, Start.latest()));
    }
}
