package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;

import java.util.concurrent.Semaphore;

/** The server's limit on streams open at once (tails, SSE, WebSockets): past it, 423 Busy. */
final class StreamSlots {
    private final int max;
    private final Semaphore slots;
    private final ServerMetrics metrics;

    StreamSlots(int max, ServerMetrics metrics) {
        this.max = max;
        this.slots = new Semaphore(max);
        this.metrics = metrics;
    }

    /** Takes a slot, or refuses the request (423) when none is free. */
    void acquire() {
        if (!slots.tryAcquire()) {
            metrics.refused("streams");
            throw new Refusal(423, ErrorKind.BUSY, "too many streams open (" + max + ")", "try again later");
        }
    }

    void release() {
        slots.release();
    }
}
