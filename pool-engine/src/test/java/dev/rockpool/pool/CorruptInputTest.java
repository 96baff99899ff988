package dev.rockpool.pool;

import dev.rockpool.pool.testing.Unwritable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Files that are not (or no longer) valid pools: each is refused with Corrupt (Usage for another format version)
 * before anything is mapped, never a JVM crash; damage inside the ring is found by the doctor and by readers.
 */
class CorruptInputTest {
    @TempDir
    Path dir;

    private Path goodPool(String name) {
        return PoolTesting.tenMessages(dir.resolve(name));
    }

    private static PoolException assertRefused(Path file, ErrorKind kind, String... fragments) {
        PoolException e = assertThrows(PoolException.class, () -> Pool.open(file).close());
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(file, e.path());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + e.getMessage() + "' lacks '" + f + "'");
        }
        // The doctor reports what open refused as one issue instead of failing.
        DoctorReport report = Pool.doctor(file);
        assertEquals(1, report.issues().size());
        assertEquals(e.getMessage(), report.issues().get(0).message());
        return e;
    }

    @Test
    void emptyTinyAndForeignFiles() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.pool"));
        assertRefused(empty, ErrorKind.CORRUPT, "file size=0");
        Path nope = Files.write(dir.resolve("nope.pool"), "NOPE".getBytes(StandardCharsets.US_ASCII));
        assertRefused(nope, ErrorKind.CORRUPT, "file size=4");
        byte[] text = "NOPE\n".repeat(2000).getBytes(StandardCharsets.US_ASCII);
        Path bigNope = Files.write(dir.resolve("text.pool"), text);
        assertRefused(bigNope, ErrorKind.CORRUPT, "not a pool: magic=0x");
        assertEquals(ErrorKind.NOT_FOUND, assertThrows(PoolException.class,
                () -> Pool.open(dir.resolve("missing.pool"))).kind());
    }

    @Test
    void zeroedHeader() {
        Path file = goodPool("zeroed.pool");
        PoolTesting.write(file, 0, ByteBuffer.allocate(HeaderDescriptor.FILE_HEADER_LENGTH));
        PoolException e = assertRefused(file, ErrorKind.CORRUPT, "zeroed header");
        assertEquals(0L, e.offset());
    }

    @Test
    void futureVersionNamesBothVersions() {
        Path file = goodPool("future.pool");
        PoolTesting.write(file, HeaderDescriptor.VERSION_OFFSET,
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, HeaderDescriptor.FORMAT_VERSION + 1));
        PoolException e = assertRefused(file, ErrorKind.USAGE, "version=" + (HeaderDescriptor.FORMAT_VERSION + 1),
                "version=" + HeaderDescriptor.FORMAT_VERSION);
        assertNotNull(e.hint());
    }

    @Test
    void truncatedOrExtendedFile() throws IOException {
        Path file = goodPool("truncated.pool");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(PoolOptions.MIN_SIZE / 2);
        }
        PoolException e = assertRefused(file, ErrorKind.CORRUPT, "fileSize=" + PoolOptions.MIN_SIZE,
                "file has " + PoolOptions.MIN_SIZE / 2 + " bytes");
        assertEquals((long) HeaderDescriptor.FILE_SIZE_OFFSET, e.offset());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(100);
        }
        assertRefused(file, ErrorKind.CORRUPT, "file size=100");

        Path extended = goodPool("extended.pool");
        try (RandomAccessFile raf = new RandomAccessFile(extended.toFile(), "rw")) {
            raf.setLength(PoolOptions.MIN_SIZE * 2);
        }
        assertRefused(extended, ErrorKind.CORRUPT, "fileSize=" + PoolOptions.MIN_SIZE);
    }

    @Test
    void headerFieldsThatDisagree() {
        Path file = goodPool("size.pool");
        PoolTesting.writeLong(file, HeaderDescriptor.FILE_SIZE_OFFSET, PoolOptions.MIN_SIZE * 4);
        assertRefused(file, ErrorKind.CORRUPT, "fileSize=" + PoolOptions.MIN_SIZE * 4);

        Path ring = goodPool("ring.pool");
        PoolTesting.writeLong(ring, HeaderDescriptor.RING_CAPACITY_OFFSET, 1L << 40);
        assertRefused(ring, ErrorKind.CORRUPT, "ringCapacity=" + (1L << 40));

        Path tail = goodPool("tail.pool");
        PoolTesting.writeLong(tail, HeaderDescriptor.TAIL_OFFSET, PoolTesting.tail(tail) + 3);
        assertRefused(tail, ErrorKind.CORRUPT, "not 8-byte aligned");

        Path far = goodPool("far.pool");
        PoolTesting.writeLong(far, HeaderDescriptor.TAIL_OFFSET, 1L << 40);
        assertRefused(far, ErrorKind.CORRUPT, "tail=" + (1L << 40));

        Path seq = goodPool("seq.pool");
        PoolTesting.writeLong(seq, HeaderDescriptor.NEXT_SEQ_OFFSET, 0);
        assertRefused(seq, ErrorKind.CORRUPT, "nextSeq=0");
    }

    @Test
    void randomBytes() throws IOException {
        Random random = new Random(42);
        int[] sizes = {1, 7, 8, 4095, 4096, 4097, 10_000, (int) PoolOptions.MIN_SIZE};
        for (int round = 0; round < 100; round++) {
            byte[] bytes = new byte[sizes[round % sizes.length]];
            random.nextBytes(bytes);
            if (round % 2 == 1 && bytes.length >= 16) {
                // Get past the magic and version checks so the later header checks are exercised too.
                ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                b.putLong(HeaderDescriptor.MAGIC_OFFSET, HeaderDescriptor.MAGIC);
                b.putInt(HeaderDescriptor.VERSION_OFFSET, HeaderDescriptor.VERSION_ONE_SEGMENT);
            }
            Path file = Files.write(dir.resolve("random" + round + ".pool"), bytes);
            assertRefused(file, ErrorKind.CORRUPT);
            Files.delete(file);
        }
    }

    @Test
    void flippedByteInAFramePayload() {
        Path file = goodPool("flipped.pool");
        long ringOffset = IndexDescriptor.ringOffset(IndexDescriptor.defaultCapacity(PoolOptions.MIN_SIZE));
        // Frames are 504 bytes: seq 4 starts at ring offset 1512; flip a byte of its data.
        long at = ringOffset + 1512 + FrameDescriptor.FRAME_HEADER_LENGTH + 40;
        byte original = PoolTesting.read(file, at, 1).get(0);
        PoolTesting.write(file, at, ByteBuffer.wrap(new byte[] {(byte) (original ^ 0x01)}));
        try (Pool pool = Pool.open(file)) {
            DoctorReport report = pool.doctor();
            assertEquals(1, report.issues().size(), report.issues()::toString);
            DoctorReport.Issue issue = report.issues().get(0);
            assertTrue(issue.message().contains("checksum mismatch"), issue.message());
            assertEquals(4L, issue.seq());
            assertEquals(ringOffset + 1512, issue.offset());

            Cursor c = pool.cursor(Start.earliest());
            assertEquals(1, c.next().seq());
            assertEquals(2, c.next().seq());
            assertEquals(3, c.next().seq());
            PoolException e = assertThrows(PoolException.class, c::next);
            assertEquals(ErrorKind.CORRUPT, e.kind());
            assertEquals(4L, e.seq());
            assertEquals(ringOffset + 1512, e.offset());
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
            assertEquals(ErrorKind.CORRUPT, assertThrows(PoolException.class, () -> pool.get(4)).kind());
            assertEquals(5, pool.get(5).orElseThrow().seq(), "other messages stay readable");
        }
        assertEquals(1, Pool.doctor(file).issues().size());
    }

    @Test
    void damagedFrameHeader() {
        Path file = goodPool("header.pool");
        long ringOffset = IndexDescriptor.ringOffset(IndexDescriptor.defaultCapacity(PoolOptions.MIN_SIZE));
        PoolTesting.write(file, ringOffset + 1008 + FrameDescriptor.LENGTH_OFFSET,
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1 << 30));
        try (Pool pool = Pool.open(file)) {
            DoctorReport report = pool.doctor();
            assertEquals(ringOffset + 1008, report.issues().get(0).offset(), report.issues()::toString);
            assertTrue(report.issues().get(0).message().contains("length=" + (1 << 30)));
            Cursor c = pool.cursor(Start.seq(3));
            PoolException e = assertThrows(PoolException.class, c::next);
            assertEquals(ErrorKind.CORRUPT, e.kind());
            assertEquals(ringOffset + 1008, e.offset());
        }
    }

    @Test
    void aWriterMeetingADamagedHeadFrameTruncatesThereLikeKafkaLogRecovery() {
        Path file = dir.resolve("head.pool");
        long ringOffset;
        long head;
        try (Pool pool = Pool.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            for (int i = 1; pool.info().oldestSeq() < 5; i++) {
                pool.append(Draft.of(PoolTesting.sized(i, 504)));
            }
            ringOffset = pool.info().fileSize() - pool.info().ringCapacity();
        }
        head = PoolTesting.read(file, HeaderDescriptor.HEAD_OFFSET, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        long ringCapacity = PoolTesting.read(file, HeaderDescriptor.RING_CAPACITY_OFFSET, 8)
                .order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        long headOffset = ringOffset + head % ringCapacity;
        PoolTesting.write(file, headOffset + FrameDescriptor.LENGTH_OFFSET,
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1 << 30));
        try (Pool pool = Pool.open(file)) {
            long nextSeq = pool.info().nextSeq();
            // The ring is full: this append must drop the damaged head frame, cannot read its length, and fails.
            PoolException e = assertThrows(PoolException.class, () -> pool.append(Draft.of("{\"after\":1}")));
            assertEquals(ErrorKind.CORRUPT, e.kind());
            assertEquals(headOffset, e.offset());
            // The failed write repaired the pool as recovery does after a crash: it ends before the first bad frame
            // (here: the head, so nothing is left), and the next append goes on with seqs that were never used.
            assertEquals(0, pool.info().messageCount());
            AppendResult next = pool.append(Draft.of("{\"after\":2}"));
            assertTrue(next.seq() >= nextSeq, () -> next.seq() + " < " + nextSeq);
            assertTrue(pool.doctor().clean(), pool.doctor().issues()::toString);
            assertEquals("{\"after\":2}", pool.cursor(Start.earliest()).next().dataString());
        }
    }

    @Test
    void unwritableFileOpensForReadingAndRefusesAppends() throws IOException {
        Path file = goodPool("readonly.pool");
        assumeTrue(Unwritable.make(file), "cannot make a file unwritable here");
        try (Pool pool = Pool.open(file)) {
            assertEquals(10, pool.info().messageCount());
            assertEquals(1, pool.cursor(Start.earliest()).next().seq());
            PoolException e = assertThrows(PoolException.class, () -> pool.append(Draft.of("{}")));
            assertEquals(ErrorKind.PERMISSION, e.kind());
            assertTrue(e.getMessage().contains("read-only for this process ("), e.getMessage());
            assertEquals(file, e.path());
            assertTrue(pool.doctor().clean());
            assertEquals(10, pool.info().messageCount(), "nothing appended");
        } finally {
            Unwritable.undo(file);
        }
    }
}
