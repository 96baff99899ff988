package dev.rockpool.bench.jmh;

import dev.rockpool.bench.Payloads;
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
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Reads over the same data: a full 64 MiB pool of N messages, a Chronicle Queue holding the same N messages, and the
 * raw mmap floor holding the same N length-prefixed records. Sequential reads do not parse the JSON: the in-place
 * cases hand the consumer the bytes where they lie (it reads the length and the first byte), the copying cases copy
 * each message's bytes once into a new array; a pass that reaches the end starts over at the oldest message. Random
 * reads fetch a message by a random seq (rockpool: {@code Pool.get} through the index; Chronicle:
 * {@code moveToIndex}). Scores are messages per second.
 */
@State(Scope.Thread)
public class ReadBenchmark extends ChronicleForkDefaults {
    private static final int DISTINCT = 1024;

    /** Bytes of each JSON object. */
    @Param({"128", "1024"})
    public int size;

    /**
     * Index slots of the pool: 0 for the engine's default (one per 256 ring bytes, fewer slots than a full pool of
     * 128-byte messages holds), or e.g. {@code -p indexCapacity=524288} for one slot per message.
     */
    @Param({"0"})
    public long indexCapacity;

    Path dir;
    Pool pool;
    long oldestSeq;
    int count;
    Cursor cursor;
    Cursor unverified;

    ChronicleQueue queue;
    ExcerptTailer tailer;
    long firstIndex;

    MappedByteBuffer raw;
    int rawEnd;
    int rawPosition;

    final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void fill() throws IOException {
        dir = BenchFiles.newDir("read");
        byte[][] payloads = Payloads.jsonSet(size, DISTINCT);
        pool = Pool.create(dir.resolve("bench.pool"), new PoolOptions(AppendBenchmark.POOL_BYTES, indexCapacity));
        // Write past one full lap so the ring is full and wrapped, as a long-lived pool is.
        long target = 2 * AppendBenchmark.POOL_BYTES / (size + 40);
        for (long i = 0; i < target; i++) {
            pool.append(new Draft(List.of(), null, JsonData.trusted(payloads[(int) (i % DISTINCT)])), Durability.FAST);
        }
        PoolInfo info = pool.info();
        oldestSeq = info.oldestSeq();
        count = (int) info.messageCount();
        cursor = pool.cursor(Start.earliest());
        unverified = pool.cursor(Start.earliest()).verifyChecksums(false);

        queue = ChronicleQueue.singleBuilder(dir.resolve("chronicle").toFile()).build();
        try (ExcerptAppender appender = queue.createAppender()) {
            for (int i = 0; i < count; i++) {
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(payloads[i % DISTINCT]);
                }
                if (i == 0) {
                    firstIndex = appender.lastIndexAppended();
                }
            }
        }
        tailer = queue.createTailer();

        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("raw").toFile(), "rw")) {
            file.setLength(AppendBenchmark.POOL_BYTES);
            raw = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, AppendBenchmark.POOL_BYTES);
        }
        raw.order(ByteOrder.LITTLE_ENDIAN);
        int p = 0;
        for (int i = 0; i < count; i++) {
            byte[] b = payloads[i % DISTINCT];
            raw.putInt(p, b.length);
            raw.put(p + 4, b);
            p = (p + 4 + b.length + 7) & -8;
        }
        rawEnd = p;
    }

    @TearDown(Level.Trial)
    public void close() {
        tailer.close();
        queue.close();
        pool.close();
        BenchFiles.deleteTree(dir);
    }

    /** rockpool cursor: validate frame and checksum, copy the payload, hand out the data without parsing it. */
    @Benchmark
    public void rockpoolSequential(Blackhole bh) {
        Message m = cursor.next();
        if (m == null) {
            cursor = pool.cursor(Start.earliest());
            m = cursor.next();
        }
        bh.consume(m.payloadArray());
        bh.consume(m.dataOffset());
    }

    /**
     * rockpool cursor in place ({@code Cursor.nextView}): the same validation (frame, seq, CRC32C over every byte),
     * no copy; the consumer reads the data's length and first byte, then checks the view is still intact.
     */
    @Benchmark
    public void rockpoolSequentialInPlace(Blackhole bh) {
        cursor = readInPlace(cursor, true, bh);
    }

    /**
     * As {@link #rockpoolSequentialInPlace} with {@code verifyChecksums(false)} (Kafka's {@code check.crcs=false}):
     * what the CRC32C check of every frame costs; Chronicle Queue checks none.
     */
    @Benchmark
    public void rockpoolSequentialInPlaceNoCrc(Blackhole bh) {
        unverified = readInPlace(unverified, false, bh);
    }

    /** One message in place from {@code c}, or from a new cursor at the oldest when {@code c} is at the end. */
    private Cursor readInPlace(Cursor c, boolean verify, Blackhole bh) {
        MessageView v = c.nextView();
        if (v == null) {
            c = pool.cursor(Start.earliest()).verifyChecksums(verify);
            v = c.nextView();
        }
        ByteBuffer data = v.data();
        bh.consume(data.remaining());
        bh.consume(data.get(data.position()));
        bh.consume(v.intact());
        return c;
    }

    /** Chronicle tailer in place: the consumer reads the excerpt's length and first byte, no copy. */
    @Benchmark
    public void chronicleSequentialInPlace(Blackhole bh) {
        try (DocumentContext dc = nextDocument()) {
            Bytes<?> bytes = dc.wire().bytes();
            bh.consume(bytes.readRemaining());
            bh.consume(bytes.readByte(bytes.readPosition()));
        }
    }

    /** Chronicle tailer: one excerpt's bytes copied into a new array. */
    @Benchmark
    public void chronicleSequential(Blackhole bh) {
        try (DocumentContext dc = nextDocument()) {
            Bytes<?> bytes = dc.wire().bytes();
            byte[] copy = new byte[(int) bytes.readRemaining()];
            bytes.read(copy);
            bh.consume(copy);
        }
    }

    /** The tailer's next excerpt, starting over at the first when it is at the end. */
    private DocumentContext nextDocument() {
        DocumentContext dc = tailer.readingDocument();
        if (!dc.isPresent()) {
            dc.close();
            tailer.toStart();
            dc = tailer.readingDocument();
        }
        return dc;
    }

    /** The floor in place: length prefix and first byte. */
    @Benchmark
    public void rawMmapSequentialInPlace(Blackhole bh) {
        int at = nextRawRecord();
        bh.consume(raw.getInt(at));
        bh.consume(raw.get(at + 4));
    }

    /** The floor: length prefix, then copy the bytes into a new array. */
    @Benchmark
    public void rawMmapSequential(Blackhole bh) {
        int at = nextRawRecord();
        byte[] copy = new byte[raw.getInt(at)];
        raw.get(at + 4, copy);
        bh.consume(copy);
    }

    /** Where the next raw record starts; moves past it, starting over at the first after the last. */
    private int nextRawRecord() {
        if (rawPosition >= rawEnd) {
            rawPosition = 0;
        }
        int at = rawPosition;
        rawPosition = (at + 4 + raw.getInt(at) + 7) & -8;
        return at;
    }

    /** rockpool {@code get(seq)} of a random seq among those in the pool: index slot, then the frame. */
    @Benchmark
    public Object rockpoolGetRandom() {
        return pool.get(oldestSeq + random.nextInt(count)).orElseThrow();
    }

    /** Chronicle {@code moveToIndex} of a random index, then the excerpt copied out. */
    @Benchmark
    public void chronicleGetRandom(Blackhole bh) {
        if (!tailer.moveToIndex(firstIndex + random.nextInt(count))) {
            throw new IllegalStateException("index not found");
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            Bytes<?> bytes = dc.wire().bytes();
            byte[] copy = new byte[(int) bytes.readRemaining()];
            bytes.read(copy);
            bh.consume(copy);
        }
    }
}
