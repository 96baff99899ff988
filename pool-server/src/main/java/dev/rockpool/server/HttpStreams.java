package dev.rockpool.server;

import dev.rockpool.pool.PoolException;
import org.eclipse.jetty.http.HttpHeader;

import java.util.List;

/**
 * Opens the streaming HTTP responses (the JSON Lines tail, Server-Sent Events): headers, metrics, the stream's slot
 * given back when it ends, noticing at once a client that leaves, and handing the stream's subscriptions to the feeds
 * of their pools. A stream is opened in two steps: {@link #open} makes it, the route makes its subscriptions (one per
 * pool, each offering to {@code stream.delivery(i)}) into the list it passed, then {@link #start} starts it.
 */
final class HttpStreams {
    private final FeedHub feeds;
    private final ServerMetrics metrics;
    private final StreamSlots slots;
    private final ServerLimits limits;

    HttpStreams(FeedHub feeds, ServerMetrics metrics, StreamSlots slots, ServerLimits limits) {
        this.feeds = feeds;
        this.metrics = metrics;
        this.slots = slots;
        this.limits = limits;
    }

    StreamSlots slots() {
        return slots;
    }

    ServerLimits limits() {
        return limits;
    }

    /**
     * Begins the response of a stream holding a slot ({@link StreamSlots#acquire}, given back when the stream ends)
     * over {@code pools}, whose {@code subscriptions} the caller adds before {@link #start}.
     *
     * @param kind    the stream's kind in the metrics ({@code tail}, {@code sse})
     * @param start   per pool, the seq the stream starts at, for the framing (zeros where it does not need them)
     * @param onEnded run once the stream is over
     */
    ResponseStream open(Exchange x, String kind, String contentType, Framing framing, List<String> pools, long[] start,
                        List<Subscription> subscriptions, Runnable onEnded) {
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        x.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, no-transform");
        x.response.getHeaders().put("X-Accel-Buffering", "no");
        // The connection is watched for the client going away (ClientWatch), so it is not reused after the stream;
        // chunked all the same, so a client can tell a stream's end from a connection that broke.
        x.response.getHeaders().put(HttpHeader.CONNECTION, "close");
        x.response.getHeaders().put(HttpHeader.TRANSFER_ENCODING, "chunked");
        x.streaming(200);
        pools.forEach(pool -> metrics.streamOpened(pool, kind));
        return new ResponseStream(x.response, x.callback, framing, start, limits.maxBufferedBytesPerClient(),
                () -> subscriptions.forEach(Subscription::drained), failure -> {
                    slots.release();
                    pools.forEach(pool -> metrics.streamClosed(pool, kind));
                    onEnded.run();
                });
    }

    /** Commits the headers and hands each subscription to the feed of its pool ({@code pools.get(i)}). */
    void start(Exchange x, ResponseStream stream, List<String> pools, List<Subscription> subscriptions) {
        x.request.addFailureListener(stream::abort);
        ClientWatch.watch(x.request, stream::abort);
        x.request.addIdleTimeoutListener(timeout -> !stream.isOpen());
        stream.iterate(); // commits the status and headers now: the client knows its stream is open
        for (int i = 0; i < subscriptions.size(); i++) {
            try {
                feeds.subscribe(pools.get(i), subscriptions.get(i));
            } catch (PoolException e) {
                stream.fail(e); // the response has begun: the failure is its last frame
            }
        }
    }
}
