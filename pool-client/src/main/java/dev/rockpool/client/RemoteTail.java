package dev.rockpool.client;

import dev.rockpool.filter.Envelope;
import dev.rockpool.filter.ErrorJson;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.PoolException;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A remote tail: messages in seq order, one stream request after another. Each request asks for what is still
 * wanted ({@code since_seq} = the seq after the last message received, the messages left of {@code max}, the time
 * left of the timeout and of the idle timeout), so a dropped connection, the server's limit on a stream's life or a
 * server restart costs nothing: no message is lost and none comes twice. While the server cannot be reached it
 * retries with a growing pause (up to 2 s), until a timeout if there is one. Not thread-safe; {@link #close()} from
 * any thread.
 */
public final class RemoteTail implements AutoCloseable {
    private static final long FIRST_RETRY_MILLIS = 50;
    private static final long MAX_RETRY_MILLIS = 2_000;
    private static final byte[] ERROR_PREFIX = "{\"error\":".getBytes(StandardCharsets.US_ASCII);

    private final RemoteClient client;
    private final String pool;
    private final TailOptions options;
    private final long end;
    private long idleEnd;
    private long nextSeq = -1;
    private long received;
    private boolean finished;
    private boolean idledOut;
    private volatile boolean closed;
    private volatile LineReader body;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private Runnable onWait = () -> { };

    RemoteTail(RemoteClient client, String pool, TailOptions options) {
        this.client = client;
        this.pool = pool;
        this.options = options;
        long now = System.nanoTime();
        this.end = options.timeout() == null ? Long.MAX_VALUE : now + options.timeout().toNanos();
        this.idleEnd = options.idleTimeout() == null ? Long.MAX_VALUE : now + options.idleTimeout().toNanos();
    }

    /**
     * Runs {@code action} whenever {@link #next()} is about to wait: for the network, or before reconnecting. A caller
     * that buffers what it makes of the messages flushes there, so nothing it has waits behind a quiet pool or a
     * server restart.
     */
    public RemoteTail onWait(Runnable action) {
        onWait = action;
        return this;
    }

    /** Whether the tail ended because its idle timeout passed without a message. */
    public boolean idledOut() {
        return idledOut;
    }

    /**
     * The next message, waiting for it; null when the tail is over ({@code max} received, the timeout or the idle
     * timeout passed, caught up without {@code follow}, or closed).
     *
     * @throws PoolException what the server reported (RetentionGap with {@code gapPolicy} FAIL, NotFound, ...)
     */
    public Message next() {
        while (!finished && !closed) {
            if (body == null && !connect()) {
                continue;
            }
            try {
                byte[] line = body.readLine();
                if (line == null) {
                    streamEnded();
                } else if (line.length > 0) {
                    Message m = handle(line);
                    if (m != null) {
                        return m;
                    }
                }
            } catch (IOException e) {
                dropped();
            }
        }
        return null;
    }

    /** Hands every message to {@code handler} until the tail is over. */
    public void forEach(Consumer<Message> handler) {
        for (Message m = next(); m != null; m = next()) {
            handler.accept(m);
        }
    }

    /** The seq the tail needs next (the one after the last received), or -1 before the server said. */
    public long nextSeq() {
        return nextSeq;
    }

    private Message handle(byte[] line) {
        if (startsWith(line, ERROR_PREFIX)) {
            PoolException e = errorOf(line);
            // Busy after a stream began: the client was too slow or the server is stopping; both name the seq
            // to resume from.
            if (e.kind() == ErrorKind.BUSY) {
                if (e.seq() != null) {
                    nextSeq = Math.max(nextSeq, e.seq());
                }
                disconnect();
                return null;
            }
            finished = true;
            throw e;
        }
        Message m = Envelope.parse(line, 0, line.length);
        if (m.seq() < nextSeq) {
            return null;
        }
        nextSeq = m.seq() + 1;
        received++;
        retryMillis = FIRST_RETRY_MILLIS;
        if (options.idleTimeout() != null) {
            idleEnd = System.nanoTime() + options.idleTimeout().toNanos();
        }
        if (options.max() != null && received >= options.max()) {
            finished = true;
            disconnect();
        }
        return m;
    }

    private static PoolException errorOf(byte[] line) {
        try {
            PoolException e = ErrorJson.parse(JsonTrees.MAPPER.readTree(line));
            return e != null ? e : new PoolException(ErrorKind.INTERNAL, "bad error line from the server");
        } catch (IOException x) {
            return new PoolException(ErrorKind.INTERNAL, "bad error line from the server: " + x.getMessage());
        }
    }

    /** The server ended a stream normally: the tail is over, or it was the stream's time limit. */
    private void streamEnded() {
        disconnect();
        if (!options.follow()) {
            finished = true;
        } else if (nanosLeft() <= 0) {
            expired();
        }
    }

    /** Nanoseconds until the timeout or the idle timeout, whichever comes first; Long.MAX_VALUE without either. */
    private long nanosLeft() {
        long deadline = Math.min(end, idleEnd);
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
    }

    /** The timeout or the idle timeout passed. */
    private void expired() {
        finished = true;
        idledOut = idleEnd != Long.MAX_VALUE && idleEnd - System.nanoTime() <= 0;
    }

    private void dropped() {
        disconnect();
        pause();
    }

    /** Opens the next stream request; false if that failed in a way worth retrying (after a pause). */
    private boolean connect() {
        long left = nanosLeft();
        if (left <= 0) {
            expired();
            return false;
        }
        onWait.run();
        try {
            HttpResponse<InputStream> r = client.stream(query(left));
            r.headers().firstValue("rockpool-start-seq").ifPresent(s -> nextSeq = Math.max(nextSeq,
                    Long.parseLong(s)));
            body = new LineReader(r.body(), onWait);
            if (closed) {
                disconnect();
            }
            return true;
        } catch (IOException e) {
            pause();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
            return false;
        } catch (PoolException e) {
            if (e.kind() == ErrorKind.BUSY) {
                pause();
                return false;
            }
            finished = true;
            throw e;
        }
    }

    private String query(long leftNanos) {
        StringBuilder q = new StringBuilder(RemoteClient.poolPath(pool, "/tail")).append('?');
        if (nextSeq > 0) {
            q.append("since_seq=").append(nextSeq);
        } else if (options.sinceSeq() != null) {
            q.append("since_seq=").append(options.sinceSeq());
        } else if (options.tail() != null) {
            q.append("tail=").append(options.tail());
        } else if (options.sinceTimeNanos() != null) {
            q.append("since_time=").append(RemoteClient.encode(
                    dev.rockpool.filter.TimeFormat.format(options.sinceTimeNanos())));
        }
        long timeout = Math.min(TimeUnit.NANOSECONDS.toMillis(leftNanos), client.maxStream().toMillis());
        q.append("&timeout_ms=").append(Math.max(1, timeout));
        if (options.max() != null) {
            q.append("&max=").append(options.max() - received);
        }
        options.tags().forEach(t -> q.append("&tag=").append(RemoteClient.encode(t)));
        options.wheres().forEach(w -> q.append("&where=").append(RemoteClient.encode(w)));
        if (options.gapPolicy() == GapPolicy.FAIL) {
            q.append("&gap_policy=error");
        }
        if (!options.follow()) {
            q.append("&follow=false");
        }
        return q.toString();
    }

    private void pause() {
        if (closed) {
            return;
        }
        onWait.run();
        try {
            long left = nanosLeft();
            Thread.sleep(Math.max(0, Math.min(retryMillis, left == Long.MAX_VALUE ? left
                    : TimeUnit.NANOSECONDS.toMillis(left))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
        retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
    }

    private void disconnect() {
        LineReader in = body;
        body = null;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static boolean startsWith(byte[] line, byte[] prefix) {
        if (line.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Ends the tail; a {@link #next()} blocked in another thread returns null. */
    @Override
    public void close() {
        closed = true;
        disconnect();
    }
}
