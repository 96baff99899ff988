package dev.rockpool.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.rockpool.filter.ErrorJson;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.Start;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket on one pool: the pool is the room. The client's text frames are append bodies
 * ({@code {"data":{...},"tags"?:[...],"durability"?:...}}), appended in the order sent and each answered with
 * {@code {"receipt":{"seq","time","meta":{"tags"}}}}; a frame that cannot be appended is answered with
 * {@code {"error":{...}}} and the socket stays open. The pool's messages that pass the socket's filters are pushed as
 * {@code {"message":ENVELOPE}}, from whoever appended them (this socket too, unless it asked for {@code echo=false}).
 *
 * <p>As a {@link Delivery}, frames go to Jetty in batch mode and are flushed once per feed batch; the bytes handed to
 * Jetty and not yet written are bounded per socket. A client that falls that far behind gets a last
 * {@code {"error":{"kind":"Busy",...,"seq":N}}} (N: where to resume, with {@code since_seq=N}) and the socket closes
 * (1013); everything before N was handed to it first.
 */
final class PoolSocket implements FrameHandler, Delivery, Heartbeats.Beating {
    /** Pushed bytes after which the feed's batch is flushed without waiting for its end. */
    private static final int FLUSH_BYTES = 64 * 1024;
    private static final byte[] MESSAGE_OPEN = "{\"message\":".getBytes(StandardCharsets.US_ASCII);

    private final SocketRoute route;
    private final String pool;
    private final boolean echo;
    private final long limit;
    /** The socket's subscription to its pool; null where the server refuses reads. */
    private final Subscription subscription;
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private CoreSession session;
    /** A text message arriving in fragments; null while a binary one arrives (refused at its end). */
    private ByteArrayOutputStream text = new ByteArrayOutputStream();

    // Guarded by this: what is pushed and, for echo=false, which of the pool's messages are the socket's own.
    private boolean open = true;
    private boolean batched;
    private int appendsUnderWay;
    private final ArrayDeque<Long> ownSeqs = new ArrayDeque<>();
    /** Messages that came while an own append was under way (whose seq is not known yet): held back till it is. */
    private final ArrayDeque<Outgoing> held = new ArrayDeque<>();

    PoolSocket(SocketRoute route, String pool, StreamRequest request, long startSeq, boolean echo) {
        this.route = route;
        this.pool = pool;
        this.echo = echo;
        this.limit = route.limits.maxBufferedBytesPerClient();
        this.subscription = route.access.allowsRead() ? new Subscription(request.filter(), Start.seq(startSeq),
                request.gapPolicy(), Long.MAX_VALUE, true, this) : null;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        callback.succeeded();
        route.metrics.streamOpened(pool, "websocket");
        route.heartbeats.add(this);
        if (subscription != null) {
            try {
                route.feeds.subscribe(pool, subscription);
            } catch (PoolException e) {
                fail(e);
            }
        }
        session.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte opcode = frame.getOpCode();
        if (opcode == OpCode.TEXT || opcode == OpCode.BINARY || opcode == OpCode.CONTINUATION) {
            boolean complete = collect(frame);
            callback.succeeded();
            if (complete) {
                received();
            }
        } else {
            callback.succeeded(); // pings are answered, closes completed, by Jetty
        }
        if (opcode != OpCode.CLOSE && session.isInputOpen()) {
            session.demand();
        }
    }

    /** Adds a data frame to the message arriving; true when the message is complete. */
    private boolean collect(Frame frame) {
        if (frame.getOpCode() == OpCode.TEXT) {
            text = new ByteArrayOutputStream();
        } else if (frame.getOpCode() == OpCode.BINARY) {
            text = null;
        }
        if (text != null) {
            ByteBuffer payload = frame.getPayload();
            if (text.size() + frame.getPayloadLength() > route.limits.maxBodyBytes()) {
                text = null;
                close(CloseStatus.MESSAGE_TOO_LARGE, "message larger than " + route.limits.maxBodyBytes() + " bytes");
                return false;
            }
            if (payload != null) {
                byte[] bytes = new byte[payload.remaining()];
                payload.slice().get(bytes);
                text.writeBytes(bytes);
            }
        }
        return frame.isFin() && session.isOutputOpen();
    }

    /** A whole message from the client: appended (receipt back) or refused (error back). */
    private void received() {
        if (text == null) {
            reply(Framing.json(ErrorJson.of(new PoolException(ErrorKind.USAGE, "binary frames are not appended: "
                    + "send text frames holding {\"data\":{...},\"tags\"?:[...]}"))));
            return;
        }
        if (!route.access.allowsWrite()) {
            reply(Framing.json(ErrorJson.of(new PoolException(ErrorKind.PERMISSION, "forbidden: this server is "
                    + route.access.label() + " and refuses writes"))));
            return;
        }
        long seq = -1;
        beginAppend();
        try {
            Message m = route.appends.append(pool, text.toByteArray());
            seq = m.seq();
            reply(receipt(m));
        } catch (PoolException e) {
            reply(Framing.json(ErrorJson.of(e)));
        } catch (RuntimeException e) {
            reply(Framing.json(ErrorJson.of(new PoolException(ErrorKind.INTERNAL, "internal error: " + e))));
        } finally {
            endAppend(seq);
        }
    }

    private static byte[] receipt(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JsonTrees.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("receipt");
            PoolRoutes.writeReceipt(g, m.seq(), TimeFormat.format(m.timeNanos()), m.tags());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private synchronized void beginAppend() {
        appendsUnderWay++;
    }

    /** An own append is over ({@code seq} -1 if it failed): the messages held back meanwhile go out now. */
    private void endAppend(long seq) {
        synchronized (this) {
            appendsUnderWay--;
            if (seq > 0) {
                ownSeqs.add(seq);
            }
            if (appendsUnderWay > 0) {
                return;
            }
            for (Outgoing m = held.poll(); m != null && open; m = held.poll()) {
                if (!isOwn(m.message.seq())) {
                    push(m);
                }
            }
        }
        flush();
    }

    /** True if {@code seq} is one of this socket's own appends; forgets those older (they were filtered out). */
    private boolean isOwn(long seq) {
        while (!ownSeqs.isEmpty() && ownSeqs.peekFirst() < seq) {
            ownSeqs.poll();
        }
        if (!ownSeqs.isEmpty() && ownSeqs.peekFirst() == seq) {
            ownSeqs.poll();
            return true;
        }
        return false;
    }

    @Override
    public boolean offer(Outgoing message) {
        synchronized (this) {
            if (!open) {
                return true;
            }
            if (!echo && appendsUnderWay > 0) {
                held.add(message);
                return true;
            }
            if (!echo && isOwn(message.message.seq())) {
                return true;
            }
            return push(message);
        }
    }

    /** Hands a message to Jetty, or cuts the client off when it holds up too much; the caller holds the lock. */
    private boolean push(Outgoing message) {
        byte[] frame = message.form("websocket", PoolSocket::messageFrame);
        long held = heldBytes.get();
        if (held > 0 && held + frame.length > limit) {
            long resume = message.message.seq();
            PoolException e = Framing.tooSlowError(limit, "since_seq=" + resume, resume);
            close(e, CloseStatus.TRY_AGAIN_LATER);
            return false;
        }
        send(frame, true);
        // Like an HTTP stream: a batch worth a write, or half the client's bound, goes out without waiting for the
        // feed's flush, so a client that keeps up is never cut off because the feed read a large batch at once.
        if (heldBytes.get() >= Math.min(FLUSH_BYTES, limit / 2)) {
            flush();
        }
        return true;
    }

    private static byte[] messageFrame(Outgoing o) {
        byte[] envelope = o.envelope();
        byte[] frame = new byte[MESSAGE_OPEN.length + envelope.length + 1];
        System.arraycopy(MESSAGE_OPEN, 0, frame, 0, MESSAGE_OPEN.length);
        System.arraycopy(envelope, 0, frame, MESSAGE_OPEN.length, envelope.length);
        frame[frame.length - 1] = '}';
        return frame;
    }

    /** Sends a text frame (batched: the next flush writes it), counting its bytes until written. */
    private synchronized void send(byte[] frame, boolean batch) {
        heldBytes.addAndGet(frame.length);
        batched |= batch;
        session.sendFrame(new Frame(OpCode.TEXT, ByteBuffer.wrap(frame)), Callback.from(() -> written(frame.length),
                x -> written(frame.length)), batch);
    }

    private void written(int bytes) {
        long left = heldBytes.addAndGet(-bytes);
        if (subscription != null && left < limit / 2) {
            subscription.drained();
        }
    }

    /** A frame answering the client (receipt, error): sent at once. */
    private synchronized void reply(byte[] frame) {
        if (open) {
            send(frame, false);
        }
    }

    @Override
    public void flush() {
        boolean now;
        synchronized (this) {
            now = batched && open;
            batched = false;
        }
        if (now) {
            session.flush(Callback.NOOP);
        }
    }

    @Override
    public boolean hasRoom() {
        return isOpen() && heldBytes.get() < limit / 2;
    }

    @Override
    public void end() {
        close(CloseStatus.NORMAL, "stream ended");
    }

    @Override
    public void fail(PoolException error) {
        close(error, error.kind() == ErrorKind.BUSY ? CloseStatus.TRY_AGAIN_LATER : CloseStatus.SERVER_ERROR);
    }

    @Override
    public synchronized boolean isOpen() {
        return open && !closed.get();
    }

    @Override
    public void beat() {
        if (isOpen()) {
            session.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
        }
    }

    /** Sends a last error frame after what was handed to Jetty, then closes with {@code code}. */
    private void close(PoolException error, int code) {
        synchronized (this) {
            if (!open) {
                return;
            }
            send(Framing.json(ErrorJson.of(error)), true);
        }
        close(code, error.kind().label());
    }

    private void close(int code, String reason) {
        synchronized (this) {
            open = false;
            held.clear();
        }
        session.close(code, reason, Callback.NOOP);
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        synchronized (this) {
            open = false;
            held.clear();
        }
        if (closed.compareAndSet(false, true)) {
            route.slots.release();
            route.metrics.streamClosed(pool, "websocket");
            route.heartbeats.remove(this);
        }
        callback.succeeded();
    }
}
