package dev.rockpool.pool;

import dev.rockpool.pool.testing.PoolFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and damaged files (issue 13): values read from the file that overflow int arithmetic or are impossible,
 * an inconsistent header state, and frames forged with a recomputed checksum. Each is a Corrupt error naming what is
 * wrong (or, for what a crash can leave, repaired by the next writer); never another exception, never an
 * acknowledged append that is not there afterwards.
 */
class DamagedPoolTest {
    @TempDir
    Path dir;

    /** Ten messages of 504-byte frames (seq n at ring offset (n-1)*504), tagged. */
    private Path pool(String name) {
        return PoolTesting.tenMessages(dir.resolve(name), "big");
    }

    private static long frame(Path file, long seq) {
        return PoolFile.frameOffsets(file).get((int) seq - 1);
    }

    private static PoolException corrupt(Executable action) {
        PoolException e = assertThrows(PoolException.class, action);
        assertEquals(ErrorKind.CORRUPT, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void frameLengthsNearIntMaxAreCorruptEverywhere() {
        int[] lengths = {Integer.MAX_VALUE, Integer.MAX_VALUE - 7, Integer.MAX_VALUE - 31, Integer.MIN_VALUE, -8,
                (int) PoolOptions.MIN_SIZE * 2};
        for (int length : lengths) {
            Path file = pool("length" + Integer.toHexString(length) + ".pool");
            long at = frame(file, 4);
            PoolFile.putInt(file, at + FrameDescriptor.LENGTH_OFFSET, length);
            try (Pool pool = Pool.open(file)) {
                PoolException e = corrupt(() -> pool.get(4));
                assertEquals(at, e.offset());
                assertTrue(e.getMessage().contains("length=" + length), e.getMessage());
                Cursor c = pool.cursor(Start.seq(4));
                assertEquals(at, corrupt(c::next).offset());
                DoctorReport report = pool.doctor();
                assertFalse(report.clean());
                assertEquals(at, report.issues().get(0).offset(), report.issues()::toString);
                assertEquals(10, pool.info().messageCount());
                assertEquals(3, pool.get(3).orElseThrow().seq(), "frames before it stay readable");
            }
        }
    }

    @Test
    void aHeadFrameLengthNearIntMaxIsCorruptForTheWriterToo() {
        Path file = dir.resolve("head.pool");
        try (Pool pool = Pool.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            for (int i = 1; pool.info().oldestSeq() < 3; i++) {
                pool.append(Draft.of(PoolTesting.sized(i, 504)));
            }
        }
        long head = PoolFile.frameOffsets(file).get(0);
        PoolFile.putInt(file, head + FrameDescriptor.LENGTH_OFFSET, Integer.MAX_VALUE - 7);
        try (Pool pool = Pool.open(file)) {
            assertEquals(head, corrupt(() -> pool.append(Draft.of(PoolTesting.sized(0, 504)))).offset());
            AppendResult next = pool.append(Draft.of("{\"after\":1}"));
            assertEquals("{\"after\":1}", pool.get(next.seq()).orElseThrow().dataString());
            PoolTesting.assertClean(pool);
        }
    }

    @Test
    void impossibleLockWordsAreTakenOverAndRepaired() {
        long[] words = {-1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << WriterLock.PID_BITS, (1L << 62) - 1, 1L << 62};
        for (long word : words) {
            Path file = pool("lock" + Long.toHexString(word) + ".pool");
            PoolFile.putLong(file, HeaderDescriptor.LOCK_OFFSET, word);
            try (Pool pool = Pool.open(file)) {
                DoctorReport before = pool.doctor();
                assertTrue(before.clean(), before.issues()::toString);
                assertTrue(before.notes().stream().anyMatch(n -> n.contains("lock")), before.notes()::toString);
                AppendResult r = pool.append(Draft.of("{\"after\":\"lock\"}"));
                assertEquals(11, r.seq());
                assertEquals("{\"after\":\"lock\"}", pool.get(11).orElseThrow().dataString());
                PoolTesting.assertConsistent(pool);
            }
            assertEquals(0, PoolFile.getLong(file, HeaderDescriptor.LOCK_OFFSET));
        }
    }

    @Test
    void headPastTailWithAFreeLockIsRefusedAndNeverAppendedInto() {
        Path file = pool("past.pool");
        long tail = PoolTesting.tail(file);
        for (long head : new long[] {tail + 8, tail + 504, tail + PoolFile.ringCapacity(file), 1L << 40}) {
            Path copy = copy(file, "past" + head + ".pool");
            PoolFile.putLong(copy, HeaderDescriptor.HEAD_OFFSET, head);
            PoolException e = corrupt(() -> Pool.open(copy));
            assertTrue(e.getMessage().contains("head=" + head) && e.getMessage().contains("tail=" + tail),
                    e.getMessage());
            assertFalse(Pool.doctor(copy).clean());
            assertEquals(head, PoolFile.getLong(copy, HeaderDescriptor.HEAD_OFFSET), "nothing written");
        }
    }

    @Test
    void headPastTailLeftByADeadWriterIsRepairedAsAfterACrash() {
        Path file = pool("dead.pool");
        long tail = PoolTesting.tail(file);
        long ring = PoolFile.ringCapacity(file);
        long head = (tail / ring + 1) * ring;
        PoolFile.putLong(file, HeaderDescriptor.HEAD_OFFSET, head);
        // A token of the right shape whose liveness byte nobody holds: its process is gone.
        PoolFile.putLong(file, HeaderDescriptor.LOCK_OFFSET, WriterLock.tokenOf(4_000_000, 12_345));
        try (Pool pool = Pool.open(file)) {
            DoctorReport report = pool.doctor();
            assertTrue(report.clean(), report.issues()::toString);
            assertTrue(report.notes().stream().anyMatch(n -> n.contains("no longer runs")), report.notes()::toString);
            AppendResult r = pool.append(Draft.of("{\"after\":\"crash\"}"));
            assertEquals(r.seq(), pool.cursor(Start.earliest()).next().seq());
            PoolTesting.assertConsistent(pool);
        }
    }

    @Test
    void derivedStateThatContradictsItselfIsRepairedBeforeAnAppend() {
        Object[][] cases = {
                {HeaderDescriptor.NEXT_SEQ_OFFSET, 5L}, {HeaderDescriptor.LAST_SEQ_OFFSET, Long.MAX_VALUE},
                {HeaderDescriptor.COUNT_OFFSET, -3L}, {HeaderDescriptor.HEAD_SEQ_OFFSET, Long.MIN_VALUE},
                {HeaderDescriptor.LAST_SEQ_OFFSET, -1L}, {HeaderDescriptor.HEAD_SEQ_OFFSET, 1L << 61}};
        for (Object[] c : cases) {
            int field = (int) c[0];
            long value = (long) c[1];
            Path file = pool("derived" + field + "_" + value + ".pool");
            PoolFile.putLong(file, field, value);
            try (Pool pool = Pool.open(file)) {
                pool.cursor(Start.tail(3)).next();
                AppendResult r = pool.append(Draft.of("{\"after\":1}"));
                assertTrue(r.seq() >= 11, () -> field + "=" + value + ": seq " + r.seq());
                assertEquals("{\"after\":1}", pool.get(r.seq()).orElseThrow().dataString());
                PoolTesting.assertConsistent(pool);
            }
        }
    }

    @Test
    void aSlotIssueNamesTheSlotItself() {
        Path file = pool("slot.pool");
        long capacity = PoolFile.getLong(file, HeaderDescriptor.INDEX_CAPACITY_OFFSET);
        PoolFile.putLong(file, PoolFile.slotOffset(file, 5) + IndexDescriptor.SEQ_OFFSET, capacity * 3);
        DoctorReport report = Pool.doctor(file);
        assertEquals(1, report.issues().size(), report.issues()::toString);
        assertEquals(PoolFile.slotOffset(file, 5), report.issues().get(0).offset());
    }

    @Test
    void forgedFramesWhoseContentIsNotValidAreCorruptNamingSeqAndOffset() {
        Path file = pool("forged.pool");
        long at = frame(file, 6);
        PoolFile.forgeByte(file, at, PoolFile.dataOffset(file, at), '[');
        long utf8 = frame(file, 8);
        PoolFile.forgeByte(file, utf8, PoolFile.dataOffset(file, utf8) + 12, 0xC3);
        try (Pool pool = Pool.open(file)) {
            Message m = pool.get(6).orElseThrow();
            PoolException e = corrupt(m::checkData);
            assertEquals(6L, e.seq());
            assertEquals(at, e.offset());
            assertEquals(file, e.path());
            assertEquals(at, corrupt(m::dataTree).offset());
            assertEquals(utf8, corrupt(pool.get(8).orElseThrow()::checkData).offset());
            pool.get(5).orElseThrow().checkData();
            DoctorReport report = pool.doctor();
            assertEquals(List.of(6L, 8L), report.issues().stream().map(DoctorReport.Issue::seq).toList(),
                    report.issues()::toString);
            assertEquals(List.of(at, utf8), report.issues().stream().map(DoctorReport.Issue::offset).toList());
        }
    }

    @Test
    void forgedTagsThatAreNotUtf8AreCorruptNamingSeqAndOffset() {
        Path file = pool("tags.pool");
        long tagged = frame(file, 3);
        // Meta: u16 tag count, u16 tag length, then the tag's bytes.
        PoolFile.forgeByte(file, tagged, tagged + FrameDescriptor.FRAME_HEADER_LENGTH + 4, 0xFF);
        try (Pool pool = Pool.open(file)) {
            Message m = pool.get(3).orElseThrow();
            PoolException e = corrupt(m::tags);
            assertEquals(3L, e.seq());
            assertEquals(tagged, e.offset());
            assertTrue(e.getMessage().contains("tag 0 is not valid UTF-8"), e.getMessage());
            assertEquals(List.of(3L), pool.doctor().issues().stream().map(DoctorReport.Issue::seq).toList());
        }
    }

    @Test
    void dataThatJacksonWouldReadButIsNotUtf8JsonIsCorrupt() {
        String[] forgeries = {
                "{\"s\":\"\u00c0\u00af\"}", // overlong '/'
                "{\"s\":\"\u00ed\u00a0\u0080\"}", // a UTF-16 surrogate encoded in UTF-8
                "{\u0000\"\u0000a\u0000\"\u0000:\u00001\u0000}", // zero bytes that make Jackson guess UTF-16
                "{\"a\":1}{\"b\":2}", // two objects
                "{\"a\":1,\"a\":2}", // a duplicate key, which appends refuse
        };
        for (String forged : forgeries) {
            byte[] bytes = forged.getBytes(StandardCharsets.ISO_8859_1);
            Path file = dir.resolve("utf" + Integer.toHexString(forged.hashCode()) + ".pool");
            try (Pool pool = Pool.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
                pool.append(Draft.of("{\"s\":\"" + "x".repeat(bytes.length - 8) + "\"}"));
            }
            long at = frame(file, 1);
            PoolFile.write(file, PoolFile.dataOffset(file, at), ByteBuffer.wrap(bytes));
            PoolFile.forge(file, at);
            try (Pool pool = Pool.open(file)) {
                Message m = pool.get(1).orElseThrow();
                assertEquals(at, corrupt(m::checkData).offset(), forged);
                assertEquals(at, corrupt(m::dataTree).offset(), forged);
                assertFalse(pool.doctor().clean(), forged);
            }
        }
    }

    @Test
    void forgedSeqsOutsideTheirRangeAreCorrupt() {
        for (long seq : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 62}) {
            Path file = pool("seq" + seq + ".pool");
            long at = frame(file, 2);
            PoolFile.putLong(file, at + FrameDescriptor.SEQ_OFFSET, seq);
            PoolFile.forge(file, at);
            try (Pool pool = Pool.open(file)) {
                Cursor c = pool.cursor(Start.earliest());
                assertEquals(1, c.next().seq());
                assertEquals(at, corrupt(c::next).offset());
                DoctorReport report = pool.doctor();
                assertEquals(at, report.issues().get(0).offset(), report.issues()::toString);
                assertNotNull(pool.info());
            }
        }
    }

    @Test
    void headerFieldsAtTheirExtremesAreCorruptOrRepaired() {
        int[] fields = {HeaderDescriptor.TAIL_OFFSET, HeaderDescriptor.HEAD_OFFSET, HeaderDescriptor.NEXT_SEQ_OFFSET,
                HeaderDescriptor.COUNT_OFFSET, HeaderDescriptor.LAST_POSITION_OFFSET,
                HeaderDescriptor.LAST_SEQ_OFFSET, HeaderDescriptor.LAST_TIME_OFFSET, HeaderDescriptor.HEAD_SEQ_OFFSET,
                HeaderDescriptor.INDEX_CAPACITY_OFFSET, HeaderDescriptor.RING_CAPACITY_OFFSET};
        long[] values = {Long.MAX_VALUE, Long.MIN_VALUE, -8, Long.MAX_VALUE & -8L, Integer.MAX_VALUE + 1L,
                (1L << 62) + 8};
        for (int field : fields) {
            for (long value : values) {
                Path file = pool("extreme" + field + "_" + Long.toHexString(value) + ".pool");
                PoolFile.putLong(file, field, value);
                exerciseEverything(file);
            }
        }
    }

    /** Opens, reads every way, doctors and appends; only PoolException may come out, and an append must hold. */
    private static void exerciseEverything(Path file) {
        try (Pool pool = Pool.open(file)) {
            pool.info();
            pool.doctor();
            for (Start start : List.of(Start.earliest(), Start.latest(), Start.tail(3), Start.seq(5), Start.time(0))) {
                try {
                    Cursor c = pool.cursor(start);
                    for (int i = 0; i < 20 && c.next() != null; i++) {
                        // read on
                    }
                } catch (PoolException expected) {
                    // a Corrupt frame or gap
                }
            }
            for (long seq : new long[] {1, 5, 10, 11, Long.MAX_VALUE}) {
                try {
                    pool.get(seq);
                } catch (PoolException expected) {
                    // Corrupt
                }
            }
            AppendResult r;
            try {
                r = pool.append(Draft.of("{\"after\":\"damage\"}"));
            } catch (PoolException refused) {
                return;
            }
            assertEquals("{\"after\":\"damage\"}", pool.get(r.seq()).orElseThrow().dataString(), file::toString);
        } catch (PoolException refused) {
            // refused at open
        }
    }

    @Test
    void anIndexTooLargeToMapIsCorruptBeforeMapping() {
        Path file = pool("index.pool");
        long capacity = Integer.MAX_VALUE / IndexDescriptor.SLOT_LENGTH;
        long ringOffset = IndexDescriptor.ringOffset(capacity);
        long size = ringOffset + PoolFile.ringCapacity(file);
        // A sparse file large enough for the header's claims: only the mapping of the index could fail.
        PoolFile.resize(file, size);
        PoolFile.putLong(file, HeaderDescriptor.FILE_SIZE_OFFSET, size);
        PoolFile.putLong(file, HeaderDescriptor.INDEX_CAPACITY_OFFSET, capacity);
        PoolFile.putLong(file, HeaderDescriptor.RING_OFFSET_OFFSET, ringOffset);
        PoolException e = corrupt(() -> Pool.open(file));
        assertTrue(e.getMessage().contains("indexCapacity=" + capacity), e.getMessage());
    }

    private Path copy(Path file, String name) {
        try {
            return Files.copy(file, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
