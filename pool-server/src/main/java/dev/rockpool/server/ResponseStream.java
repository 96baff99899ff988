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
 * non-blocking writes, each write carrying everything queued so far (Jetty's {@link IteratingCallback} runs the
 * next write when the last completes). A client that reads too slowly fills the queue: what it has not been sent is
 * dropped, it gets a last error naming the seq to resume from, and the response ends. A client that goes away fails
 * the pending write (or the request), which closes the stream at once.
 */
final class ResponseStream extends IteratingCallback implements Delivery {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private enum State { OPEN, ENDING, LAST_WRITTEN }

    private record Frame(byte[] bytes, long seq) {
    }

    private final Response response;
    private final Callback completion;
    private final Framing framing;
    private final long limit;
    private final Runnable onDrained;
    private final Consumer<Throwable> onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    /** Bytes queued and in flight: what the client holds up. */
    private long heldBytes;
    private long inFlightBytes;
    private boolean written;
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
        synchronized (this) {
            if (state != State.OPEN) {
                return true;
            }
            byte[] frame = framing.message(message);
            if (heldBytes > 0 && heldBytes + frame.length > limit) {
                long resume = queue.isEmpty() ? message.message.seq() : queue.peekFirst().seq;
                queue.forEach(f -> heldBytes -= f.bytes.length);
                queue.clear();
                queueError(tooSlow(resume));
                accepted = false;
            } else {
                queue.add(new Frame(frame, message.message.seq()));
                heldBytes += frame.length;
            }
        }
        iterate();
        return accepted;
    }

    private PoolException tooSlow(long resumeSeq) {
        return new PoolException(ErrorKind.BUSY, "client too slow: more than " + limit + " bytes waited to be sent;"
                + " resume with since_seq=" + resumeSeq, null, resumeSeq, null,
                "read faster, or ask for less (tag=, where=), and resume from seq " + resumeSeq, null);
    }

    /** Queues the last error frame; the caller holds the lock. */
    private void queueError(PoolException error) {
        byte[] frame = framing.error(error);
        queue.add(new Frame(frame, -1));
        heldBytes += frame.length;
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
                buffer = ByteBuffer.wrap(gather());
            } else if (state == State.ENDING) {
                state = State.LAST_WRITTEN;
                buffer = NOTHING;
                last = true;
            } else if (state == State.LAST_WRITTEN) {
                return Action.SUCCEEDED;
            } else if (!written) {
                buffer = NOTHING; // commits the status and headers: the client knows the stream is open
            } else {
                return Action.IDLE;
            }
            written = true;
        }
        response.write(last, buffer, this);
        return Action.SCHEDULED;
    }

    /** Everything queued, in one array; the caller holds the lock. */
    private byte[] gather() {
        int size = 0;
        for (Frame f : queue) {
            size += f.bytes.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (Frame f : queue) {
            System.arraycopy(f.bytes, 0, out, at, f.bytes.length);
            at += f.bytes.length;
        }
        queue.clear();
        inFlightBytes = size;
        return out;
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
