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
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Single-writer append of the same compact JSON bytes into: a rockpool pool (64 MiB, {@code fast} durability; the
 * bytes as {@link JsonData#trusted} and through {@link JsonData#parse}, which validates with Jackson), the raw
 * {@link MappedByteBuffer} floor (length prefix + bytes in a 64 MiB ring), Chronicle Queue, and {@code FileChannel}
 * appends to a plain file. A pool and the floor wrap around their 64 MiB; Chronicle and the file grow, so those are
 * recreated every iteration to bound the disk they take.
 */
@State(Scope.Thread)
public class AppendBenchmark extends ChronicleForkDefaults {
    /** The pool and ring size of every case. */
    static final long POOL_BYTES = 64L << 20;
    private static final int DISTINCT = 1024;

    /** Bytes of each JSON object. */
    @Param({"128", "1024"})
    public int size;

    private byte[][] payloads;
    private int next;

    @Setup(Level.Trial)
    public void payloads() {
        payloads = Payloads.jsonSet(size, DISTINCT);
    }

    private byte[] nextPayload() {
        byte[] p = payloads[next];
        next = (next + 1) & (DISTINCT - 1);
        return p;
    }

    /**
     * A fresh pool, 64 MiB unless {@code -p poolBytes=N} says otherwise (a diagnostic: with a ring that fits in the
     * CPU caches the cost of store misses into a cold ring drops out).
     */
    @State(Scope.Thread)
    public static class PoolState {
        @Param({"67108864"})
        public long poolBytes;
        Path dir;
        Pool pool;

        @Setup(Level.Trial)
        public void open() {
            dir = BenchFiles.newDir("append");
            pool = Pool.create(dir.resolve("bench.pool"), PoolOptions.ofSize(poolBytes));
        }

        @TearDown(Level.Trial)
        public void close() {
            pool.close();
            BenchFiles.deleteTree(dir);
        }
    }

    /** The physical floor: a 64 MiB mapped file written as a ring of (int length, bytes), 8-byte aligned. */
    @State(Scope.Thread)
    public static class MmapState {
        Path dir;
        MappedByteBuffer buffer;
        int position;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = BenchFiles.newDir("mmap");
            try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("ring").toFile(), "rw")) {
                raf.setLength(POOL_BYTES);
                buffer = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, POOL_BYTES);
            }
            buffer.order(ByteOrder.LITTLE_ENDIAN);
        }

        int append(byte[] bytes) {
            int at = position;
            if (at + 4 + bytes.length > buffer.capacity()) {
                at = 0;
            }
            buffer.putInt(at, bytes.length);
            buffer.put(at + 4, bytes);
            position = (at + 4 + bytes.length + 7) & -8;
            return at;
        }

        @TearDown(Level.Trial)
        public void close() {
            BenchFiles.deleteTree(dir);
        }
    }

    /** A Chronicle Queue, new every iteration (it grows without bound). */
    @State(Scope.Thread)
    public static class ChronicleState {
        Path dir;
        ChronicleQueue queue;
        ExcerptAppender appender;

        @Setup(Level.Iteration)
        public void open() {
            dir = BenchFiles.newDir("chronicle");
            queue = ChronicleQueue.singleBuilder(dir.toFile()).build();
            appender = queue.createAppender();
        }

        @TearDown(Level.Iteration)
        public void close() {
            appender.close();
            queue.close();
            BenchFiles.deleteTree(dir);
        }
    }

    /** A plain append-only file, new every iteration; one direct buffer reused for (length, bytes). */
    @State(Scope.Thread)
    public static class FileState {
        Path dir;
        FileChannel channel;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(64 << 10).order(ByteOrder.LITTLE_ENDIAN);

        @Setup(Level.Iteration)
        public void open() throws IOException {
            dir = BenchFiles.newDir("file");
            channel = FileChannel.open(dir.resolve("log"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }

        int append(byte[] bytes) throws IOException {
            buffer.clear();
            buffer.putInt(bytes.length).put(bytes).flip();
            return channel.write(buffer);
        }

        @TearDown(Level.Iteration)
        public void close() throws IOException {
            channel.close();
            BenchFiles.deleteTree(dir);
        }
    }

    /** rockpool, data already validated and compact (the engine's raw append path). */
    @Benchmark
    public AppendResult rockpoolTrusted(PoolState s) {
        return s.pool.append(new Draft(List.of(), null, JsonData.trusted(nextPayload())), Durability.FAST);
    }

    /** rockpool, data validated and compacted by Jackson on the way in (what a CLI or an untrusted caller pays). */
    @Benchmark
    public AppendResult rockpoolParse(PoolState s) {
        return s.pool.append(new Draft(List.of(), null, JsonData.parse(nextPayload())), Durability.FAST);
    }

    /** (a) The floor: length prefix and bytes into a mapped ring. */
    @Benchmark
    public int rawMmap(MmapState s) {
        return s.append(nextPayload());
    }

    /** (b) Chronicle Queue: one excerpt of the same bytes, from a heap array as rockpool takes them. */
    @Benchmark
    public long chronicle(ChronicleState s) {
        try (DocumentContext dc = s.appender.writingDocument()) {
            dc.wire().bytes().write(nextPayload());
        }
        return s.appender.lastIndexAppended();
    }

    /** (c) FileChannel.write of length prefix and bytes to an append-only file (one syscall per message). */
    @Benchmark
    public int fileChannel(FileState s) throws IOException {
        return s.append(nextPayload());
    }
}
