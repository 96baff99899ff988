package dev.rockpool.cli;

import dev.rockpool.client.PoolEntry;
import dev.rockpool.client.RemoteClient;
import dev.rockpool.client.RemoteTail;
import dev.rockpool.client.TailOptions;
import dev.rockpool.pool.AppendResult;
import dev.rockpool.pool.BadDraftPolicy;
import dev.rockpool.pool.BatchResult;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands on remote pools ({@code http(s)://host:port/POOL}), through {@link RemoteClient}: the one class of the
 * CLI that uses the client, so that a command on a local pool never loads it. What it hands back are the engine's
 * own types ({@link Message}, {@link PoolInfo}, {@link AppendResult}), printed by the same code as local ones.
 */
final class Remote {
    /**
     * Most data bytes in one batch request: half the server's default body limit (1 MiB), leaving room for the
     * newlines and for a server with a smaller limit.
     */
    static final long MAX_BATCH_BYTES = 1 << 19;

    private Remote() {
    }

    /** A client for {@code server} ({@code http(s)://host:port}) with the token and TLS options given. */
    static RemoteClient client(String server, Options.Remote options) {
        RemoteClient.Builder b = RemoteClient.builder(server);
        if (options.tokenFile() != null) {
            b.tokenFile(options.tokenFile());
        }
        if (options.tlsCa() != null) {
            b.tlsCa(options.tlsCa());
        }
        if (options.tlsSkipVerify()) {
            b.tlsSkipVerify(true);
        }
        return b.build();
    }

    /** The info of a remote pool; NotFound with how to create it. */
    static PoolInfo info(PoolRef ref, Options.Remote options) {
        return info(client(ref.server(), options), ref);
    }

    private static PoolInfo info(RemoteClient client, PoolRef ref) {
        try {
            return client.info(ref.name());
        } catch (PoolException e) {
            throw Hints.forPool(e, ref);
        }
    }

    /** Creates a remote pool ({@code indexCapacity} 0: the server's default). */
    static PoolInfo create(PoolRef ref, Options.Remote options, long size, long indexCapacity) {
        return client(ref.server(), options).create(ref.name(), size, indexCapacity);
    }

    /** Deletes a remote pool. */
    static void delete(PoolRef ref, Options.Remote options) {
        client(ref.server(), options).delete(ref.name());
    }

    /** What {@code pool list} shows of one pool: its info, or why the server could not read it. */
    interface ListedPool {
        void show(String name, PoolInfo info, PoolException error);
    }

    /** Every pool of the server at {@code server}. */
    static void list(String server, Options.Remote options, ListedPool shown) {
        for (PoolEntry entry : client(server, options).list()) {
            shown.show(entry.name(), entry.info(), entry.error());
        }
    }

    /** One message by seq; the pool is asked for first when the seq cannot be one (as locally: NotFound first). */
    static Message fetch(PoolRef ref, Options.Remote options, long seq) {
        RemoteClient client = client(ref.server(), options);
        if (seq < 1) {
            info(client, ref);
            throw new PoolException(ErrorKind.USAGE, "seq=" + seq + ": seqs start at 1");
        }
        try {
            return client.get(ref.name(), seq);
        } catch (PoolException e) {
            throw Hints.forPool(e, ref);
        }
    }

    /**
     * {@code follow} on a remote pool: the pool is asked for first (NotFound, a refused token or an unreachable
     * server is a plain error before any stream), then one {@link RemoteTail} prints every message the server's
     * filters pass, resuming by seq across dropped connections and server restarts. The exit code: 0, or
     * {@link Rockpool#EXIT_TIMEOUT} when {@code --timeout} passed without a message.
     */
    static int follow(FollowCommand f, Options.Remote options, MessageOutput output) throws InterruptedException {
        PoolRef ref = f.target;
        RemoteClient client = client(ref.server(), options);
        info(client, ref);
        try (RemoteTail tail = client.tail(ref.name(), tailOptions(f)).onWait(output::flush)) {
            long previousTime = Long.MIN_VALUE;
            for (Message m = tail.next(); m != null; m = tail.next()) {
                f.pace(previousTime, m.timeNanos());
                previousTime = m.timeNanos();
                output.write(m);
            }
            output.flush();
            return tail.idledOut() ? Rockpool.EXIT_TIMEOUT : 0;
        }
    }

    /** {@code follow}'s options as a tail asks the server for them. */
    private static TailOptions tailOptions(FollowCommand f) {
        TailOptions.Builder o = TailOptions.builder().follow(f.follows()).gapPolicy(f.onGap);
        if (f.tail != null) {
            o.tail(f.tail);
        } else if (f.sinceNanos != null) {
            o.sinceTimeNanos(f.sinceNanos);
        } else if (f.fromSeq != null) {
            o.sinceSeq(f.fromSeq);
        } else if (f.follows()) {
            o.fromNow();
        }
        f.tags.forEach(o::tag);
        f.wheres.forEach(o::where);
        if (f.max != Long.MAX_VALUE) {
            o.max(f.max);
        }
        if (f.timeout != null) {
            o.idleTimeout(f.timeout);
        }
        return o.build();
    }

    /**
     * Where {@code feed} appends on a remote pool: it must exist, or with {@code createSize > 0} it is created if
     * missing. A server that refuses reads (write-only) does not say how large the pool is; its appends are then
     * checked by the server alone.
     */
    static FeedCommand.Target feedTarget(PoolRef ref, Options.Remote options, long createSize) {
        RemoteClient client = client(ref.server(), options);
        PoolInfo info = null;
        try {
            info = client.info(ref.name());
        } catch (PoolException e) {
            if (e.kind() == ErrorKind.PERMISSION) {
                // write-only (or a bad token, which the append meets again): go on without the pool's size
                if (createSize > 0) {
                    createIfMissing(client, ref, createSize);
                }
            } else if (e.kind() == ErrorKind.NOT_FOUND && e.seq() == null && createSize > 0) {
                info = createIfMissing(client, ref, createSize);
            } else {
                throw Hints.forPool(e, ref);
            }
        }
        return new Target(client, ref.name(), info);
    }

    /** Creates the pool unless another client just did; its info, or null when that cannot be read. */
    private static PoolInfo createIfMissing(RemoteClient client, PoolRef ref, long size) {
        try {
            return client.create(ref.name(), size);
        } catch (PoolException e) {
            if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                throw e;
            }
            return null;
        }
    }

    /** A remote pool fed through one client; {@code info} is null when the server does not show it. */
    private record Target(RemoteClient client, String pool, PoolInfo info) implements FeedCommand.Target {
        @Override
        public long maxFrameLength() {
            // The ring's capacity: a pool of several segments takes smaller frames, which its server checks.
            return info == null ? Long.MAX_VALUE : info.ringCapacity();
        }

        @Override
        public Path path() {
            return null;
        }

        @Override
        public long maxBatchBytes() {
            return MAX_BATCH_BYTES;
        }

        @Override
        public void check(Draft draft) {
            if (info != null) {
                Pool.checkFits(draft, info.ringCapacity(), null);
            }
        }

        @Override
        public AppendResult append(Draft draft, Durability durability) {
            Message m = client.append(pool, draft.data(), draft.tags(), durability);
            return new AppendResult(m.seq(), m.timeNanos());
        }

        /** One request, all or nothing: every draft was checked before it joined the batch. */
        @Override
        public List<AppendResult> appendBatch(List<Draft> drafts, Durability durability, BadDraftPolicy policy,
                                              List<BatchResult.Rejection> refused) {
            List<JsonData> data = new ArrayList<>(drafts.size());
            drafts.forEach(d -> data.add(d.data()));
            return client.appendBatch(pool, data, drafts.get(0).tags(), durability);
        }

        @Override
        public void close() {
            // the client holds no resources of its own between requests
        }
    }
}
