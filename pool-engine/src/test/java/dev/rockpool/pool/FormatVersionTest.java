package dev.rockpool.pool;

import dev.rockpool.pool.testing.PoolFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Format versions: a pool written by the engine before large pools (format version 1, committed as
 * {@code src/test/resources/format-v1/wrapped.pool}) opens, reads and takes appends unchanged, and stays version 1;
 * a pool that needs version 2 is refused by the version check older builds have, with a message naming both versions.
 */
class FormatVersionTest {
    /** The recipe of the committed pool: seqs 1 to 400 appended to a new 64 KiB pool, so the ring wrapped. */
    private static final int WRITTEN = 400;

    @TempDir
    Path dir;

    /** The data of message {@code n} of the committed pool. */
    private static String data(long n) {
        String unit = n % 4 == 1 ? "h\u00e9las \u65e5\u672c " : "x";
        StringBuilder text = new StringBuilder();
        while (text.length() < 20 + (n * 37 % 300)) {
            text.append(unit);
        }
        return "{\"n\":" + n + ",\"text\":\"" + text + "\"}";
    }

    private static List<String> tags(long n) {
        return n % 3 == 0 ? List.of("v1", "t" + (n % 7)) : List.of();
    }

    private static Origin origin(long n) {
        return n % 5 == 0 ? new Origin("legacy", (int) (n % 2), 1000L + n) : null;
    }

    private static void assertRecipe(Message m) {
        long n = m.seq();
        assertEquals(data(n), m.dataString(), "seq " + n);
        assertEquals(tags(n), m.tags(), "seq " + n);
        assertEquals(origin(n), m.origin(), "seq " + n);
        m.checkData();
    }

    private Path committedPool() throws IOException {
        Path file = dir.resolve("wrapped.pool");
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/format-v1/wrapped.pool"))) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void aPoolOfTheFirstFormatOpensReadsAndTakesAppends() throws IOException {
        Path file = committedPool();
        try (Pool pool = Pool.open(file)) {
            PoolInfo info = pool.info();
            assertEquals(HeaderDescriptor.VERSION_ONE_SEGMENT, info.formatVersion());
            assertEquals(PoolOptions.MIN_SIZE, info.fileSize());
            assertEquals(WRITTEN, info.newestSeq());
            assertEquals(WRITTEN - info.oldestSeq() + 1, info.messageCount());
            assertTrue(info.oldestSeq() > 1, "the committed pool wrapped");
            assertEquals(info.messageCount(), PoolTesting.assertClean(pool).messageCount());
            long expected = info.oldestSeq();
            long previousTime = 0;
            Cursor cursor = pool.cursor(Start.earliest(), GapPolicy.FAIL, GapListener.IGNORE);
            for (Message m = cursor.next(); m != null; m = cursor.next()) {
                assertEquals(expected++, m.seq());
                assertRecipe(m);
                assertTrue(m.timeNanos() >= previousTime);
                previousTime = m.timeNanos();
                assertRecipe(pool.fetch(m.seq()));
            }
            assertEquals(WRITTEN + 1, expected);
            Cursor inPlace = pool.cursor(Start.seq(WRITTEN - 9));
            for (long n = WRITTEN - 9; n <= WRITTEN; n++) {
                MessageView view = inPlace.nextView();
                assertEquals(n, view.seq());
                assertEquals(data(n), StandardCharsets.UTF_8.decode(view.data()).toString());
                assertTrue(view.intact());
            }

            // Appends continue the same format: a lap and more, every message readable, the doctor content.
            for (long n = WRITTEN + 1; n <= 2 * WRITTEN; n++) {
                assertEquals(n, pool.append(new Draft(tags(n), origin(n), JsonData.parse(data(n)))).seq());
            }
            assertTrue(pool.info().oldestSeq() > WRITTEN, "the appends lapped the old messages");
            Cursor after = pool.cursor(Start.earliest());
            for (Message m = after.next(); m != null; m = after.next()) {
                assertRecipe(m);
            }
            PoolTesting.assertConsistent(pool);
        }
        assertEquals(HeaderDescriptor.VERSION_ONE_SEGMENT, PoolFile.getInt(file, HeaderDescriptor.VERSION_OFFSET));
        assertEquals(0, PoolFile.getLong(file, HeaderDescriptor.SEGMENT_SHIFT_OFFSET), "no field of version 2");
        try (Pool again = Pool.open(file)) {
            assertRecipe(again.fetch(2 * WRITTEN));
        }
    }

    @Test
    void poolsThatFitOneMappingAreStillWrittenInTheFirstFormat() {
        for (long size : new long[] {PoolOptions.MIN_SIZE, PoolOptions.DEFAULT_SIZE, 2L << 30}) {
            PoolLayout layout = PoolLayout.forCreate(size, 0, 0, dir);
            assertEquals(HeaderDescriptor.VERSION_ONE_SEGMENT, layout.version(), "size " + size);
            assertEquals(IndexDescriptor.defaultCapacity(size), layout.indexCapacity(), "the index as before");
            assertEquals(1, layout.segments());
        }
        PoolLayout large = PoolLayout.forCreate((2L << 30) + 4096, 0, 0, dir);
        assertEquals(HeaderDescriptor.VERSION_SEGMENTED, large.version());
        assertEquals(HeaderDescriptor.MAX_SEGMENT_SHIFT, large.segmentShift());
        assertEquals(2, large.segments());
        assertEquals(IndexDescriptor.DEFAULT_STRIDE_SHIFT, large.strideShift());
    }

    /**
     * The version check of the engine before large pools (commit 159b830, HeaderDescriptor.checkHeader), as it was:
     * null if it accepts the header, else its message.
     */
    private static String olderBuildsVersionCheck(ByteBuffer header) {
        int version = header.getInt(HeaderDescriptor.VERSION_OFFSET);
        if (version != 1) {
            return "unsupported pool format version=" + version + ": this rockpool reads version=" + 1;
        }
        return null;
    }

    @Test
    void olderBuildsRefuseAPoolOfVersion2NamingBothVersions() {
        Path segmented = dir.resolve("segmented.pool");
        RingLayout.SEGMENTED.create(segmented, PoolOptions.ofSize(PoolOptions.MIN_SIZE)).close();
        ByteBuffer header = PoolFile.read(segmented, 0, HeaderDescriptor.FILE_HEADER_LENGTH);
        assertEquals("unsupported pool format version=2: this rockpool reads version=1",
                olderBuildsVersionCheck(header));
        // The message FORMAT.md gives for it, which older builds print.
        assertTrue(docsFormat().contains("`unsupported pool format version=2: this rockpool reads version=1`"));

        Path small = dir.resolve("small.pool");
        Pool.create(small, PoolOptions.ofSize(PoolOptions.DEFAULT_SIZE)).close();
        assertNull(olderBuildsVersionCheck(PoolFile.read(small, 0, HeaderDescriptor.FILE_HEADER_LENGTH)),
                "older builds open the pools of up to 2 GiB made now");
    }

    @Test
    void aNewerVersionIsRefusedNamingTheVersionsThisBuildReads() throws IOException {
        Path file = dir.resolve("newer.pool");
        Pool.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE)).close();
        PoolFile.putInt(file, HeaderDescriptor.VERSION_OFFSET, 3);
        PoolException e = assertThrows(PoolException.class, () -> Pool.open(file));
        assertEquals(ErrorKind.USAGE, e.kind());
        assertEquals("unsupported pool format version=3: this rockpool reads version=1 and version=2",
                e.getMessage());
        assertNotNull(e.hint());
    }

    private static String docsFormat() {
        try {
            return Files.readString(Path.of("..", "docs", "FORMAT.md"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
