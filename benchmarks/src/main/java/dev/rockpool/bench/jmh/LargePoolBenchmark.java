package dev.rockpool.bench.jmh;

import dev.rockpool.bench.Payloads;
import dev.rockpool.pool.AppendResult;
import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.MessageView;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolInfo;
import dev.rockpool.pool.PoolOptions;
import dev.rockpool.pool.Start;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A pool beyond 2 GiB beside the default one (docs/BENCHMARKS.md, "Large pools"): the same 1 KiB messages appended,
 * read in place and fetched at random seqs on an 8 GiB pool (format version 2, eight 1 GiB segments, an index slot
 * per 64 seqs) and on a 64 MiB pool (format version 1, one mapping, a slot per seq), and the time to create each.
 * Beside them the raw mmap floor of each size ({@link RawRing}).
 * Not in bin/rockpool-bench: it writes 8 GiB many times over (docs/BENCHMARKS.md says how to run it).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class LargePoolBenchmark {
    private static final int SIZE = 1024;
    private static final int DISTINCT = 1024;

    /** Bytes of the pool file: 64 MiB (the default), 3 GiB (within what the page cache holds dirty here) or 8 GiB. */
    @Param({"67108864", "3221225472", "8589934592"})
    public long poolBytes;

    private byte[][] payloads;
    private int next;

    @Setup(Level.Trial)
    public void payloads() {
        payloads = Payloads.jsonSet(SIZE, DISTINCT);
    }

    private Draft nextDraft() {
        byte[] p = payloads[next];
        next = (next + 1) & (DISTINCT - 1);
        return new Draft(List.of(), null, JsonData.trusted(p));
    }

    /** A new pool of {@code poolBytes}. */
    @State(Scope.Thread)
    public static class EmptyPool {
        Path dir;
        Pool pool;

        @Setup(Level.Trial)
        public void create(LargePoolBenchmark bench) {
            dir = BenchFiles.newDir("large");
            pool = Pool.create(dir.resolve("bench.pool"), PoolOptions.ofSize(bench.poolBytes));
        }

        @TearDown(Level.Trial)
        public void delete() {
            pool.close();
            BenchFiles.deleteTree(dir);
        }
    }

    /** A pool of {@code poolBytes} written once around, so that every seq from the oldest on is there. */
    @State(Scope.Thread)
    public static class FullPool {
        final EmptyPool empty = new EmptyPool();
        long oldestSeq;
        long count;
        Cursor cursor;
        final SplittableRandom random = new SplittableRandom(42);

        @Setup(Level.Trial)
        public void fill(LargePoolBenchmark bench) {
            empty.create(bench);
            long target = bench.poolBytes / (SIZE + 40);
            for (long i = 0; i < target; i++) {
                empty.pool.append(bench.nextDraft(), Durability.FAST);
            }
            PoolInfo info = empty.pool.info();
            oldestSeq = info.oldestSeq();
            count = info.messageCount();
            cursor = empty.pool.cursor(Start.earliest());
        }

        @TearDown(Level.Trial)
        public void delete() {
            empty.delete();
        }
    }

    /**
     * The physical floor at the same size: a file of {@code poolBytes} written full of zeros and synced (as creating a
     * pool does), mapped in 1 GiB segments and written as a ring of (int length, bytes), 8-byte aligned, a record
     * never straddling two segments.
     */
    @State(Scope.Thread)
    public static class RawRing {
        private static final int SEGMENT = 1 << 30;
        Path dir;
        MappedByteBuffer[] segments;
        int segment;
        int position;

        @Setup(Level.Trial)
        public void create(LargePoolBenchmark bench) throws IOException {
            dir = BenchFiles.newDir("raw");
            try (FileChannel ch = FileChannel.open(dir.resolve("ring"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
                for (long written = 0; written < bench.poolBytes; ) {
                    zeros.clear();
                    written += ch.write(zeros, written);
                }
                ch.force(true);
                segments = new MappedByteBuffer[(int) ((bench.poolBytes + SEGMENT - 1) / SEGMENT)];
                for (int k = 0; k < segments.length; k++) {
                    long offset = (long) k * SEGMENT;
                    segments[k] = ch.map(FileChannel.MapMode.READ_WRITE, offset,
                            Math.min(SEGMENT, bench.poolBytes - offset));
                    segments[k].order(ByteOrder.LITTLE_ENDIAN);
                }
            }
        }

        int append(byte[] bytes) {
            if (position + 4 + bytes.length > segments[segment].capacity()) {
                segment = (segment + 1) % segments.length;
                position = 0;
            }
            int at = position;
            segments[segment].putInt(at, bytes.length);
            segments[segment].put(at + 4, bytes);
            position = (at + 4 + bytes.length + 7) & -8;
            return at;
        }

        @TearDown(Level.Trial)
        public void delete() {
            BenchFiles.deleteTree(dir);
        }
    }

    /** The floor: one length-prefixed 1 KiB record into the raw ring of the same size. */
    @Benchmark
    public int rawMmap(RawRing s) {
        byte[] p = payloads[next];
        next = (next + 1) & (DISTINCT - 1);
        return s.append(p);
    }

    /** One append of a trusted 1 KiB message (the engine's raw append path), wrapping the ring as it fills. */
    @Benchmark
    public AppendResult append(EmptyPool s) {
        return s.pool.append(nextDraft(), Durability.FAST);
    }

    /** One message read in place, frame and CRC32C checked; at the end the cursor starts over at the oldest. */
    @Benchmark
    public void readInPlace(FullPool s, Blackhole bh) {
        MessageView v = s.cursor.nextView();
        if (v == null) {
            s.cursor = s.empty.pool.cursor(Start.earliest());
            v = s.cursor.nextView();
        }
        ByteBuffer data = v.data();
        bh.consume(data.remaining());
        bh.consume(data.get(data.position()));
        bh.consume(v.intact());
    }

    /** One message fetched by a random seq through the index, copied. */
    @Benchmark
    public Message fetchRandom(FullPool s) {
        return s.empty.pool.fetch(s.oldestSeq + s.random.nextLong(s.count));
    }

    /** Creating the pool: the whole file written (to reserve the disk space) and synced. Seconds per pool. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 3)
    public long create() {
        Path dir = BenchFiles.newDir("create");
        try (Pool pool = Pool.create(dir.resolve("bench.pool"), PoolOptions.ofSize(poolBytes))) {
            return pool.info().fileSize();
        } finally {
            BenchFiles.deleteTree(dir);
        }
    }
}
