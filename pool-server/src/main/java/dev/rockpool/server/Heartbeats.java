package dev.rockpool.server;

import org.eclipse.jetty.util.thread.Scheduler;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Beats every open push stream (SSE, WebSocket) at one interval, from one timer task rather than a timer per stream,
 * so ten thousand quiet subscribers cost one wake-up per interval. A beat keeps proxies and load balancers from
 * closing a quiet connection, and shows a client that vanished without closing its connection.
 */
final class Heartbeats {
    /** A stream that can be kept alive. */
    interface Beating {
        /** Sends a heartbeat if the stream is quiet; never blocks. */
        void beat();
    }

    private final Set<Beating> streams = ConcurrentHashMap.newKeySet();
    private final Scheduler scheduler;
    private final long intervalMillis;
    private volatile boolean running;

    Heartbeats(Scheduler scheduler, Duration interval) {
        this.scheduler = scheduler;
        this.intervalMillis = interval.toMillis();
    }

    void add(Beating stream) {
        streams.add(stream);
    }

    void remove(Beating stream) {
        streams.remove(stream);
    }

    /** Starts beating; the scheduler must be running (the server started). */
    void start() {
        running = true;
        schedule();
    }

    void stop() {
        running = false;
    }

    private void schedule() {
        if (running) {
            scheduler.schedule(this::beatAll, intervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void beatAll() {
        try {
            streams.forEach(Beating::beat);
        } finally {
            schedule();
        }
    }
}
