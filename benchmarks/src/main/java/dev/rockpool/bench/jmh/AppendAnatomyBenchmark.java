package dev.rockpool.bench.jmh;

import dev.rockpool.bench.Payloads;
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

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * A diagnostic, not part of the default run ({@code bin/rockpool-bench --only jmh --jmh AppendAnatomy}): the steps of
 * an append added one at a time on a mapped ring of the pool's size, to see which one costs what. Each method does
 * everything the previous one does plus one step: (1) length + bytes (the floor), (2) a 32-byte frame header and a
 * CRC32C of header fields and data, (3) a CAS on a lock word in a second mapping, release stores of the tail and of
 * the lock word, (4) a {@link ReentrantLock} around it (the engine's in-JVM writer queue), (5) the two clock reads
 * the engine makes per append ({@code System.nanoTime} for the lock timeout, {@code Instant.now} for the message
 * time).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class AppendAnatomyBenchmark {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final int LOCK = 0;
    private static final int TAIL = 64;

    /** Bytes of each JSON object. */
    @Param({"128"})
    public int size;

    /** Ring bytes: 64 MiB like the pools, or e.g. 1 MiB to keep the ring in the CPU caches. */
    @Param({"67108864"})
    public int ringBytes;

    Path dir;
    MappedByteBuffer ring;
    MappedByteBuffer meta;
    byte[][] payloads;
    int next;
    long position;
    long seq;
    final CRC32C crc = new CRC32C();
    final byte[] fields = new byte[24];
    final ReentrantLock jvmLock = new ReentrantLock();

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = BenchFiles.newDir("anatomy");
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("ring").toFile(), "rw")) {
            raf.setLength(4096 + (long) ringBytes);
            meta = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            ring = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 4096, ringBytes);
        }
        meta.order(ByteOrder.LITTLE_ENDIAN);
        ring.order(ByteOrder.LITTLE_ENDIAN);
        payloads = Payloads.jsonSet(size, 1024);
    }

    @TearDown(Level.Trial)
    public void close() {
        BenchFiles.deleteTree(dir);
    }

    private byte[] nextPayload() {
        byte[] p = payloads[next];
        next = (next + 1) & 1023;
        return p;
    }

    private int claim(int length) {
        int aligned = (length + 7) & -8;
        int physical = (int) (position % ringBytes);
        if (physical + aligned > ringBytes) {
            position += ringBytes - physical;
            physical = 0;
        }
        position += aligned;
        return physical;
    }

    /** (1) length prefix + bytes. */
    @Benchmark
    public long s1Floor() {
        byte[] data = nextPayload();
        int at = claim(4 + data.length);
        ring.putInt(at, data.length);
        ring.put(at + 4, data);
        return position;
    }

    private long frame(long time) {
        byte[] data = nextPayload();
        int at = claim(32 + 3 + data.length);
        long s = ++seq;
        crc.reset();
        for (int i = 0; i < 8; i++) {
            fields[4 + i] = (byte) (s >>> (8 * i));
            fields[12 + i] = (byte) (time >>> (8 * i));
        }
        crc.update(fields, 0, fields.length);
        crc.update(data, 0, data.length);
        ring.put(at + 35, data);
        ring.putInt(at, 35 + data.length);
        ring.putInt(at + 4, 1);
        ring.putLong(at + 8, s);
        ring.putLong(at + 16, time);
        ring.putInt(at + 24, (int) crc.getValue());
        ring.putInt(at + 28, 3);
        return position;
    }

    /** (2) + a frame header and CRC32C. */
    @Benchmark
    public long s2FrameCrc() {
        return frame(seq);
    }

    /** (3) + CAS of a lock word and release stores of tail and lock word. */
    @Benchmark
    public long s3CasRelease() {
        if (!LONGS.compareAndSet(meta, LOCK, 0L, 1L)) {
            throw new IllegalStateException("lock word taken");
        }
        long p = frame(seq);
        LONGS.setRelease(meta, TAIL, p);
        LONGS.setRelease(meta, LOCK, 0L);
        return p;
    }

    /** (4) + the in-JVM ReentrantLock the engine takes first. */
    @Benchmark
    public long s4JvmLock() throws InterruptedException {
        if (!jvmLock.tryLock(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("lock busy");
        }
        try {
            return s3CasRelease();
        } finally {
            jvmLock.unlock();
        }
    }

    /** (5) + System.nanoTime and Instant.now, as the engine reads them per append. */
    @Benchmark
    public long s5Clocks() throws InterruptedException {
        long start = System.nanoTime();
        if (!jvmLock.tryLock(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("lock busy");
        }
        try {
            if (!LONGS.compareAndSet(meta, LOCK, 0L, 1L)) {
                throw new IllegalStateException("lock word taken");
            }
            Instant now = Instant.now();
            long p = frame(now.getEpochSecond() * 1_000_000_000L + now.getNano() + start % 2);
            LONGS.setRelease(meta, TAIL, p);
            LONGS.setRelease(meta, LOCK, 0L);
            return p;
        } finally {
            jvmLock.unlock();
        }
    }
}
