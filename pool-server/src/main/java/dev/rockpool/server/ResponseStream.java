package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@link Delivery} into an HTTP response body, without a thread: frames wait in a bounded queue and go out in
 * non-blocking writes, each write carrying what is queued, up to a bound (Jetty's {@link IteratingCallback} runs the
 * next write when the last completes). A client that reads too slowly fills the queue: what it has not been sent is
 * dropped, it gets a last error naming the seq to resume from, and the response ends. A client that goes away fails
 * the pending write (or the request), which closes the stream at once.
 */
final class ResponseStream extends IteratingCallback implements Delivery {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    /**
     * Most bytes one write carries. Smaller writes keep a stream flowing: while one is on the wire the feed goes on
     * filling the queue, instead of waiting for one huge write to drain the client's whole buffer.
     */
    private static final int MAX_WRITE = 256 * 1024;

    private enum State { OPEN, ENDING, LAST_WRITTEN }

    /**
     * Queued frames, back to back: a chunk grows (doubling, so a quiet stream holds little) up to {@link #MAX_WRITE}
     * and is then written in one piece. It knows the seq of its first message, where a client cut off resumes.
     */
    private static final class Chunk {
        byte[] bytes;
        int length;
        final long firstSeq;

        Chunk(int capacity, long firstSeq) {
            this.bytes = new byte[capacity];
            this.firstSeq = firstSeq;
        }

        boolean fits(int more) {
            return length + more <= MAX_WRITE;
        }

        void append(byte[] frame) {
            if (length + frame.length > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(length + frame.length, Math.min(MAX_WRITE,
                        bytes.length * 2)));
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
    /** Bytes queued and in flight: what the client holds up. */
    private long heldBytes;
    private long inFlightBytes;
    private boolean written;
    /** No write in flight and nothing to write: the next frame must start one (else the write in flight takes it). */
    private boolean idle = true;
    private State state = State.OPEN;

    /**
     * @param completion completed when the response ends (Jetty's request callback)
     * @param limit      bytes a slow client may hold up before it is cut off
     * @param onDrained  run when a write completes with room left (wakes a feed catching this stream up)
     * @param onClosed   run once when the stream is over: null on a normal end, else why it failed
     */
    ResponseStream(Response response, Callback completion, Framing framing, long limit, Runnable onDrained,
                   Consumer<Throwable> onClosed) {
        this.response = response;
        this.completion = completion;
        this.framing = framing;
        this.limit = limit;
        this.onDrained = onDrained;
        this.onClosed = onClosed;
    }

    @Override
    public boolean offer(Outgoing message) {
        boolean accepted = true;
        boolean kick;
        synchronized (this) {
            if (state != State.OPEN) {
                return true;
            }
            byte[] frame = framing.message(message);
            if (heldBytes > 0 && heldBytes + frame.length > limit) {
                long resume = queue.isEmpty() ? message.message.seq() : queue.peekFirst().firstSeq;
                queue.forEach(c -> heldBytes -= c.length);
                queue.clear();
                queueError(tooSlow(resume));
                accepted = false;
            } else {
                append(frame, message.message.seq());
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

    private PoolException tooSlow(long resumeSeq) {
        return new PoolException(ErrorKind.BUSY, "client too slow: more than " + limit + " bytes waited to be sent;"
                + " resume with since_seq=" + resumeSeq, null, resumeSeq, null,
                "read faster, or ask for less (tag=, where=), and resume from seq " + resumeSeq, null);
    }

    @Override
    public void flush() {
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

    /** Queues a frame after the others; the caller holds the lock. */
    private void append(byte[] frame, long seq) {
        Chunk last = queue.peekLast();
        if (last == null || !last.fits(frame.length)) {
            last = new Chunk(Math.max(FIRST_CHUNK, frame.length), seq);
            queue.add(last);
        }
        last.append(frame);
        heldBytes += frame.length;
    }

    /** Queues the last error frame; the caller holds the lock. */
    private void queueError(PoolException error) {
        append(framing.error(error), -1);
        state = State.ENDING;
    }

    @Override
    public synchronized boolean hasRoom() {
        return state == State.OPEN && heldBytes < limit / 2;
    }

    @Override
    public void end() {
        synchronized (this) {
            if (state == State.OPEN) {
                state = State.ENDING;
            }
        }
        iterate();
    }

    @Override
    public void fail(PoolException error) {
        synchronized (this) {
            if (state == State.OPEN) {
                queueError(error);
            }
        }
        iterate();
    }

    @Override
    public synchronized boolean isOpen() {
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
