package dev.rockpool.bench.jmh;

import dev.rockpool.bench.Payloads;
import dev.rockpool.pool.AppendResult;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends that amortise or fight over the writer lock: a batch of 100 messages under one lock and one publish, and
 * two threads appending one message at a time to one pool (and, for comparison, to one Chronicle Queue). Scores are
 * messages per second (a batch counts as 100).
 */
public class WriterBenchmark extends ChronicleForkDefaults {
    /** Messages per batch. */
    public static final int BATCH = 100;
    private static final int DISTINCT = 1024;

    /** Per-thread payload rotation. */
    @State(Scope.Thread)
    public static class Payload {
        @Param({"128", "1024"})
        public int size;
        byte[][] payloads;
        List<Draft> batch;
        int next;

        @Setup(Level.Trial)
        public void build() {
            payloads = Payloads.jsonSet(size, DISTINCT);
            batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                batch.add(new Draft(List.of(), null, JsonData.trusted(payloads[i])));
            }
        }

        byte[] next() {
            byte[] p = payloads[next];
            next = (next + 1) & (DISTINCT - 1);
            return p;
        }
    }

    /** One 64 MiB pool shared by every benchmark thread (each thread appends through the same handle). */
    @State(Scope.Benchmark)
    public static class SharedPool {
        Path dir;
        Pool pool;

        @Setup(Level.Trial)
        public void open() {
            dir = BenchFiles.newDir("writers");
            pool = Pool.create(dir.resolve("bench.pool"), PoolOptions.ofSize(AppendBenchmark.POOL_BYTES));
        }

        @TearDown(Level.Trial)
        public void close() {
            pool.close();
            BenchFiles.deleteTree(dir);
        }
    }

    /** One Chronicle Queue shared by every thread, new every iteration. */
    @State(Scope.Benchmark)
    public static class SharedQueue {
        Path dir;
        ChronicleQueue queue;

        @Setup(Level.Iteration)
        public void open() {
            dir = BenchFiles.newDir("chronicle-writers");
            queue = ChronicleQueue.singleBuilder(dir.toFile()).build();
        }

        @TearDown(Level.Iteration)
        public void close() {
            queue.close();
            BenchFiles.deleteTree(dir);
        }
    }

    /** A thread's own Chronicle appender (appenders are single-threaded). */
    @State(Scope.Thread)
    public static class Appender {
        ExcerptAppender appender;

        @Setup(Level.Iteration)
        public void open(SharedQueue q) {
            appender = q.queue.createAppender();
        }

        @TearDown(Level.Iteration)
        public void close() {
            appender.close();
        }
    }

    /** 100 messages per {@code appendBatch}: one lock, one publish. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<AppendResult> rockpoolBatch100(SharedPool s, Payload p) {
        return s.pool.appendBatch(p.batch, Durability.FAST);
    }

    /** Two threads appending single messages to one pool. */
    @Benchmark
    @Threads(2)
    public AppendResult rockpoolTwoWriters(SharedPool s, Payload p) {
        return s.pool.append(new Draft(List.of(), null, JsonData.trusted(p.next())), Durability.FAST);
    }

    /** Two threads appending single messages to one Chronicle Queue. */
    @Benchmark
    @Threads(2)
    public long chronicleTwoWriters(Appender a, Payload p) {
        try (DocumentContext dc = a.appender.writingDocument()) {
            dc.wire().bytes().write(p.next());
        }
        return a.appender.lastIndexAppended();
    }
}
