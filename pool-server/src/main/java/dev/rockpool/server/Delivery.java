package dev.rockpool.server;

import dev.rockpool.pool.PoolException;

/**
 * Where one subscriber's messages go: a bounded buffer in front of a non-blocking connection (an HTTP response body
 * here). Called by the pool's feed thread; {@link #end()} and {@link #fail} also from timers. Implementations frame
 * the messages for their wire (JSON Lines, SSE, WebSocket) and never block.
 */
interface Delivery {
    /**
     * Queues a message for the client; {@link #flush()} sends what is queued. False when the client's buffer is full:
     * the delivery has then queued a last error naming the seq to resume from, will disconnect the client, and takes
     * no more messages.
     */
    boolean offer(Outgoing message);

    /** Starts sending what is queued, unless a send is under way (it takes the rest when done). */
    void flush();

    /** True while the buffer is under half full: a subscriber catching up on old messages reads more only then. */
    boolean hasRoom();

    /** Ends the stream normally once what is queued is sent. */
    void end();

    /** Ends the stream with a last error after what is queued. */
    void fail(PoolException error);

    /** False once ended, failed or the client is gone: the feed then forgets the subscriber. */
    boolean isOpen();
}
