package dev.rockpool.server;

import dev.rockpool.pool.PoolException;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A stream into an HTTP response body, without a thread: frames wait in a bounded queue and go out in non-blocking
 * writes, each write carrying what is queued, up to a bound (Jetty's {@link IteratingCallback} runs the next write
 * when the last completes). It reads one pool or several (its sources); {@link #delivery(int)} is what the feed of
 * each source offers messages to, and the stream keeps where it stands in each ({@link Framing}). A client that reads
 * too slowly fills the queue: what it has not been sent is dropped, it gets a last frame naming where to resume, and
 * the response ends. A client that goes away fails the pending write (or the request), which closes the stream at
 * once.
 */
final class ResponseStream extends IteratingCallback implements Heartbeats.Beating {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    /**
     * Most bytes one write carries. Smaller writes keep a stream flowing: while one is on the wire the feed goes on
     * filling the queue, instead of waiting for one huge write to drain the client's whole buffer.
     */
    private static final int MAX_WRITE = 256 * 1024;

    private enum State { OPEN, ENDING, LAST_WRITTEN }

    /**
     * Queued frames, back to back: a chunk grows (doubling, so a quiet stream holds little) up to {@link #MAX_WRITE}
     * and is then written in one piece. It knows where the stream stood before its first frame: where a client that
     * is cut off resumes.
     */
    private static final class Chunk {
        byte[] bytes;
        int length;
        final long[] resume;

        Chunk(int capacity, long[] resume) {
            this.bytes = new byte[capacity];
            this.resume = resume;
        }

        boolean fits(int more) {
            return length + more <= MAX_WRITE;
        }

        void append(byte[] frame) {
            if (length + frame.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(length + frame.length, Math.min(MAX_WRITE, bytes.length * 2)));
            }
            System.arraycopy(frame, 0, bytes, length, frame.length);
            length += frame.length;
        }
    }

    private static final int FIRST_CHUNK = 4096;

    private final Response response;
    private final Callback completion;
    private final Framing framing;
    private final long limit;
    private final Runnable onDrained;
    private final Consumer<Throwable> onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    /** Per source, the seq the stream owes next: every earlier message was queued or filtered out. */
    private final long[] next;
    /** Bytes queued and in flight: what the client holds up. */
    private long heldBytes;
    private long inFlightBytes;
    private boolean written;
    /** No write in flight and nothing to write: the next frame must start one (else the write in flight takes it). */
    private boolean idle = true;
    private State state = State.OPEN;

    /**
     * @param start      per source, the seq the stream starts at (zeros where the framing does not need them)
     * @param completion completed when the response ends (Jetty's request callback)
     * @param limit      bytes a slow client may hold up before it is cut off
     * @param onDrained  run when a write completes with room left (wakes the feeds catching this stream up)
     * @param onClosed   run once when the stream is over: null on a normal end, else why it failed
     */
    ResponseStream(Response response, Callback completion, Framing framing, long[] start, long limit,
                   Runnable onDrained, Consumer<Throwable> onClosed) {
        this.response = response;
        this.completion = completion;
        this.framing = framing;
        this.next = start.clone();
        this.limit = limit;
        this.onDrained = onDrained;
        this.onClosed = onClosed;
        byte[] opening = framing.opening();
        if (opening.length > 0) {
            append(opening, -1, 0);
        }
    }

    /** What the feed of source {@code source} offers its messages to. */
    Delivery delivery(int source) {
        return new Source(source);
    }

    /** One source's side of the stream; all but {@link #offer} are the stream's own. */
    private final class Source implements Delivery {
        private final int source;

        Source(int source) {
            this.source = source;
        }

        @Override
        public boolean offer(Outgoing message) {
            return ResponseStream.this.offer(source, message);
        }

        @Override
        public void flush() {
            ResponseStream.this.flush();
        }

        @Override
        public boolean hasRoom() {
            return ResponseStream.this.hasRoom();
        }

        @Override
        public void end() {
            ResponseStream.this.end();
        }

        @Override
        public void fail(PoolException error) {
            ResponseStream.this.fail(error);
        }

        @Override
        public boolean isOpen() {
            return ResponseStream.this.isOpen();
        }
    }

    private boolean offer(int source, Outgoing message) {
        boolean accepted = true;
        boolean kick;
        synchronized (this) {
            if (state != State.OPEN) {
                return true;
            }
            long previous = next[source];
            next[source] = message.message.seq() + 1;
            byte[] frame = framing.message(source, message, next);
            if (heldBytes > 0 && heldBytes + frame.length > limit) {
                next[source] = previous;
                long[] resume = queue.isEmpty() ? next.clone() : queue.peekFirst().resume;
                queue.forEach(c -> heldBytes -= c.length);
                queue.clear();
                append(framing.tooSlow(resume, limit), -1, 0);
                state = State.ENDING;
                accepted = false;
            } else {
                append(frame, source, previous);
            }
            // Frames wait for flush(), except when they add up to a write's worth or half the client's buffer:
            // a fast client must never be cut off just because the feed read a large batch at once.
            kick = !accepted || idle && (heldBytes >= MAX_WRITE || heldBytes >= limit / 2);
            if (kick) {
                idle = false;
            }
        }
        if (kick) {
            iterate();
        }
        return accepted;
    }

    /** Sends a heartbeat if the stream is open and nothing is being written (then the write itself is one). */
    @Override
    public void beat() {
        byte[] heartbeat = framing.heartbeat();
        synchronized (this) {
            if (heartbeat == null || state != State.OPEN || !idle || !queue.isEmpty()) {
                return;
            }
            append(heartbeat, -1, 0);
            idle = false;
        }
        iterate();
    }

    private void flush() {
        boolean kick;
        synchronized (this) {
            kick = idle && !queue.isEmpty();
            if (kick) {
                idle = false;
            }
        }
        if (kick) {
            iterate(); // else the write in flight takes what is queued when it completes
        }
    }

    /**
     * Queues a frame after the others; the caller holds the lock. A frame that starts a chunk records where the
     * stream stood before it: {@code next}, but {@code previous} for the source of a message frame.
     */
    private void append(byte[] frame, int source, long previous) {
        Chunk last = queue.peekLast();
        if (last == null || !last.fits(frame.length)) {
            long[] before = next.clone();
            if (source >= 0) {
                before[source] = previous;
            }
            last = new Chunk(Math.max(FIRST_CHUNK, frame.length), before);
            queue.add(last);
        }
        last.append(frame);
        heldBytes += frame.length;
    }

    private synchronized boolean hasRoom() {
        return state == State.OPEN && heldBytes < limit / 2;
    }

    /** Ends the stream normally once what is queued is sent. */
    void end() {
        synchronized (this) {
            if (state == State.OPEN) {
                state = State.ENDING;
            }
        }
        iterate();
    }

    /** Ends the stream with a last error after what is queued. */
    void fail(PoolException error) {
        synchronized (this) {
            if (state == State.OPEN) {
                append(framing.error(error, next), -1, 0);
                state = State.ENDING;
            }
        }
        iterate();
    }

    synchronized boolean isOpen() {
        return state == State.OPEN && !closed.get();
    }

    @Override
    protected Action process() {
        ByteBuffer buffer;
        boolean last = false;
        synchronized (this) {
            if (!queue.isEmpty()) {
                Chunk next = queue.poll();
                inFlightBytes = next.length;
                buffer = ByteBuffer.wrap(next.bytes, 0, next.length);
            } else if (state == State.ENDING) {
                state = State.LAST_WRITTEN;
                buffer = NOTHING;
                last = true;
            } else if (state == State.LAST_WRITTEN) {
                return Action.SUCCEEDED;
            } else if (!written) {
                buffer = NOTHING; // commits the status and headers: the client knows the stream is open
            } else {
                idle = true;
                return Action.IDLE;
            }
            written = true;
        }
        response.write(last, buffer, this);
        return Action.SCHEDULED;
    }

    @Override
    protected void onSuccess() {
        boolean room;
        synchronized (this) {
            heldBytes -= inFlightBytes;
            inFlightBytes = 0;
            room = state == State.OPEN && heldBytes < limit / 2;
        }
        if (room) {
            onDrained.run();
        }
    }

    @Override
    protected void onCompleteSuccess() {
        if (closed.compareAndSet(false, true)) {
            completion.succeeded();
            onClosed.accept(null);
        }
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
        synchronized (this) {
            queue.clear();
            heldBytes = 0;
        }
        if (closed.compareAndSet(false, true)) {
            completion.failed(cause);
            onClosed.accept(cause);
        }
    }
}
