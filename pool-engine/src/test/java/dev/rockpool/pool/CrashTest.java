package dev.rockpool.pool;

import dev.rockpool.pool.testing.ChildProcess;
import dev.rockpool.pool.testing.ChildWriter;
import dev.rockpool.pool.testing.TestMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers SIGKILLed at random moments: after each kill the pool validates clean, nothing torn is readable, every
 * acknowledged append is there, seqs only grow, and the next writer takes the lock over from the dead one.
 */
class CrashTest {
    private static final int KILLS = 50;
    private static final long SEED = Long.getLong("rockpool.test.seed", System.nanoTime());

    @TempDir
    Path dir;

    /** What one killed child acknowledged, in order. */
    private record Acks(List<long[]> seqAndCounter) {
        long firstSeq() {
            return seqAndCounter.get(0)[0];
        }

        long lastSeq() {
            return seqAndCounter.get(seqAndCounter.size() - 1)[0];
        }
    }

    @Test
    void killedWritersNeverLeaveTornMessages() throws Exception {
        // 32 MiB holds far more than one child appends between its first ack and its death, so every ack of the
        // child just killed must be present; over 50 children the ring wraps, so deaths also land during overwrites.
        runKills(PoolOptions.ofSize(32L << 20), KILLS, 1, 200, false, true);
    }

    @Test
    void writersKilledMidBatchWhileHoldingTheLock() throws Exception {
        // Batches of 400 messages: the child spends most of its life holding the writer lock, so most kills leave
        // the lock word naming a dead process, and the next writer must take it over and repair the pool.
        int held = runKills(PoolOptions.ofSize(16L << 20), 12, 400, 1000, true, true);
        assertTrue(held > 0, "no kill landed while the child held the lock; seed " + SEED);
    }

    @Test
    void writersKilledWhileBatchesOverwriteTheWholeRing() throws Exception {
        // Batches of about 50 KiB into a 64 KiB pool: nearly every batch drops every message before it publishes,
        // so kills land while head is beyond the published tail. Acked messages may be overwritten by later
        // batches here; those still in the pool must be intact.
        runKills(PoolOptions.ofSize(PoolOptions.MIN_SIZE), 15, 70, 1000, false, false);
    }

    /** Returns how many kills left the lock word held by the dead child. */
    private int runKills(PoolOptions options, int kills, int batch, int maxPad, boolean untilHeld,
                         boolean poolHoldsAcks) throws Exception {
        Random random = new Random(SEED);
        Path file = dir.resolve("crash.pool");
        int held = 0;
        long maxAcked = 0;
        long checkedUpTo = 0;
        long totalAcks = 0;
        try (Pool pool = Pool.create(file, options)) {
            ChildProcess next = startChild(file, 0, batch, maxPad);
            int i = 0;
            for (; i < kills || untilHeld && held == 0 && i < 40; i++) {
                ChildProcess child = next;
                Files.createFile(dir.resolve("go-" + i));
                String first = child.await("ACK", 120);
                // Start the next JVM now so that it is ready the moment this one dies: the test runs in half the time.
                // It waits for its go file, so it does not touch the pool before the checks below are done.
                next = startChild(file, i + 1, batch, maxPad);
                Thread.sleep(5 + random.nextInt(146));
                child.process().destroyForcibly();
                child.waitFor(60);
                long lockWord = PoolTesting.headerLong(file, HeaderDescriptor.LOCK_OFFSET);
                if (lockWord != 0) {
                    assertEquals(child.pid(), WriterLock.pidOf(lockWord), "only the dead child can hold the lock");
                    held++;
                }
                Acks acks = parseAcks(first, child.remainingLines(), i, child);
                totalAcks += acks.seqAndCounter().size();
                assertTrue(acks.firstSeq() > maxAcked, "seq " + acks.firstSeq() + " reused after " + maxAcked);
                maxAcked = acks.lastSeq();

                int kill = i;
                DoctorReport report = Pool.doctor(file);
                assertTrue(report.clean(), () -> "kill " + kill + " seed " + SEED + ": " + report.issues());
                checkedUpTo = verify(pool, acks, i, checkedUpTo, maxPad, poolHoldsAcks);
            }
            // The writer started after the last kill proceeds too (taking over the lock), then ends.
            Files.createFile(dir.resolve("go-" + i));
            String first = next.await("ACK", 120);
            maxAcked = Math.max(maxAcked, Long.parseLong(first.split(" ")[1]));
            next.kill();
            AppendResult own = pool.append(Draft.of("{\"after\":\"all kills\"}"));
            assertTrue(own.seq() > maxAcked);
            assertEquals(0, PoolTesting.headerLong(file, HeaderDescriptor.LOCK_OFFSET), "released");
            DoctorReport report = pool.doctor();
            assertTrue(report.clean(), report.issues()::toString);
            assertEquals(List.of(), report.notes());
            // Everything still in the pool reads back intact, in seq order.
            long previous = 0;
            Cursor c = pool.cursor(Start.earliest());
            for (Message m = c.next(); m != null; m = c.next()) {
                assertTrue(m.seq() > previous);
                previous = m.seq();
                if (m.seq() != own.seq()) {
                    TestMessages.check(m, maxPad);
                }
            }
            assertEquals(own.seq(), previous);
            assertTrue(totalAcks > kills, "children acknowledged " + totalAcks + " appends");
        }
        return held;
    }

    private ChildProcess startChild(Path file, int writer, int batch, int maxPad) {
        return ChildProcess.start(ChildWriter.class, dir.resolve("writer" + writer + ".err"), file.toString(),
                Integer.toString(writer), "0", "-1", "ack", Integer.toString(batch), Integer.toString(maxPad),
                dir.resolve("go-" + writer).toString());
    }

    private static Acks parseAcks(String first, List<String> rest, int writer, ChildProcess child) {
        List<String> lines = new ArrayList<>();
        lines.add(first);
        lines.addAll(rest);
        List<long[]> acks = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
            String[] parts = lines.get(k).split(" ");
            if (parts.length != 3 || !parts[0].equals("ACK")) {
                // Only the very last line can be cut short by the kill; anything else is a child failure.
                assertEquals(lines.size() - 1, k, () -> "unexpected output " + lines.get(lines.size() - 1) + ": "
                        + child.describe());
                continue;
            }
            long seq;
            long counter;
            try {
                seq = Long.parseLong(parts[1]);
                counter = Long.parseLong(parts[2]);
            } catch (NumberFormatException e) {
                assertEquals(lines.size() - 1, k, "a torn line that is not the last one");
                continue;
            }
            assertEquals(acks.size(), counter, "writer " + writer + " acks counters in order");
            if (!acks.isEmpty()) {
                assertTrue(seq > acks.get(acks.size() - 1)[0], "a writer's seqs grow");
            }
            acks.add(new long[] {seq, counter});
        }
        assertNotEquals(0, acks.size());
        return new Acks(acks);
    }

    /**
     * Reads with a cursor everything appended since the last check (frames a dead writer could have touched are
     * all at or after it): every message intact and exactly as written, seqs strictly increasing, and every ack of
     * the dead child present with the counter it acknowledged. Returns where the next check starts.
     */
    private static long verify(Pool pool, Acks acks, int writer, long from, int maxPad, boolean poolHoldsAcks) {
        Map<Long, Long> counterBySeq = new HashMap<>();
        long previous = 0;
        long expectedCounter = -1;
        Cursor c = pool.cursor(from == 0 ? Start.earliest() : Start.seq(from));
        for (Message m = c.next(); m != null; m = c.next()) {
            assertTrue(m.seq() > previous, "seqs strictly increase");
            previous = m.seq();
            long[] wc = TestMessages.check(m, maxPad);
            if (wc[0] == writer) {
                if (expectedCounter < 0) {
                    // Where the writer's messages still in the pool begin (0 unless overwritten).
                    expectedCounter = poolHoldsAcks ? 0 : wc[1];
                }
                assertEquals(expectedCounter++, wc[1], "writer " + writer + " order, including unacked appends");
                counterBySeq.put(m.seq(), wc[1]);
            }
        }
        // The oldest message really there: head may have been moved by the dead writer, for a batch it did not
        // publish, past messages that the header's oldest seq (updated at publish and by recovery) still counts.
        Message oldestMessage = pool.cursor(Start.earliest()).next();
        long oldest = oldestMessage == null ? Long.MAX_VALUE : oldestMessage.seq();
        for (long[] ack : acks.seqAndCounter()) {
            if (!poolHoldsAcks && ack[0] < oldest) {
                continue;
            }
            assertTrue(ack[0] >= oldest, "the pool is large enough to keep the acked appends");
            Long counter = counterBySeq.get(ack[0]);
            assertNotNull(counter, () -> "acked seq " + ack[0] + " of writer " + writer + " is missing");
            assertEquals(ack[1], counter, "acked seq " + ack[0]);
        }
        if (poolHoldsAcks) {
            assertTrue(pool.get(acks.lastSeq()).isPresent());
        }
        return previous + 1;
    }

    @Test
    void killedWhileHoldingTheLockInTheMiddleOfAnAppend() throws IOException {
        for (String mode : new String[] {"partial", "dropall"}) {
            Path file = dir.resolve(mode + ".pool");
            try (Pool pool = Pool.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
                for (int i = 0; i < 80; i++) {
                    pool.append(Draft.of(PoolTesting.sized(i + 1, 1000)));
                }
                PoolInfo before = pool.info();
                assertTrue(before.oldestSeq() > 1, "wrapped");
                ChildProcess holder = ChildProcess.start(ChildLockHolder.class, dir.resolve(mode + ".err"),
                        file.toString(), mode);
                try {
                    String locked = holder.await("LOCKED", 120);
                    long token = Long.parseLong(locked.substring("LOCKED ".length()));
                    assertEquals(token, PoolTesting.headerLong(file, HeaderDescriptor.LOCK_OFFSET));
                    DoctorReport alive = pool.doctor();
                    assertTrue(alive.clean(), alive.issues()::toString);
                    assertFalse(alive.notes().toString().contains("no longer runs"), "a live holder is no dead writer");
                } finally {
                    holder.kill();
                }
                assertTrue(PoolTesting.headerLong(file, HeaderDescriptor.LOCK_OFFSET) != 0, "still held by the dead");
                DoctorReport dead = Pool.doctor(file);
                assertTrue(dead.clean(), () -> mode + ": " + dead.issues());
                assertTrue(dead.notes().toString().contains("writer lock held by pid " + holder.pid() + ", which no longer runs"),
                        dead.notes()::toString);
                // Nothing the dead writer left half-done is visible; what it had not dropped is still readable.
                long expected = mode.equals("dropall") ? 0 : before.messageCount();
                assertEquals(expected, countAll(pool), mode);

                long seq = before.nextSeq();
                AppendResult r = pool.append(Draft.of(PoolTesting.sized(seq, 300)));
                assertEquals(seq, r.seq(), "seqs continue where the published state left them");
                assertEquals(0, PoolTesting.headerLong(file, HeaderDescriptor.LOCK_OFFSET));
                PoolTesting.assertConsistent(pool);
                assertEquals(List.of(), pool.doctor().notes());
                assertEquals(seq, PoolTesting.sizedSeq(pool.get(seq).orElseThrow()));
            }
        }
    }

    /**
     * A writer that dies after storing next seq but before publishing the tail (the last two stores of a publish)
     * leaves seqs that never had a frame, and index slots for them that point where the next writer's frames then
     * go, mid-frame. Those seqs are simply absent: get() finds nothing, a cursor starting at one starts at the next
     * seq that exists, and the doctor does not flag their slots.
     */
    @Test
    void seqsSkippedByADeadWriterAreAbsentNotCorrupt() {
        Path file = dir.resolve("skipped.pool");
        try (Pool pool = Pool.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            for (int i = 1; i <= 10; i++) {
                pool.append(Draft.of(PoolTesting.sized(i, 504)));
            }
            long tail = PoolTesting.tail(file);
            // The dead writer's batch: seqs 11..20, slots written, next seq stored, tail not.
            for (long s = 11; s <= 20; s++) {
                long slot = IndexDescriptor.slotOffset(s, pool.info().indexCapacity());
                PoolTesting.writeLong(file, slot + IndexDescriptor.POSITION_OFFSET, tail + (s - 11) * 104);
                PoolTesting.writeLong(file, slot + IndexDescriptor.SEQ_OFFSET, s);
            }
            PoolTesting.writeLong(file, HeaderDescriptor.LAST_SEQ_OFFSET, 20);
            PoolTesting.writeLong(file, HeaderDescriptor.NEXT_SEQ_OFFSET, 21);
            for (int i = 21; i <= 30; i++) {
                assertEquals(i, pool.append(Draft.of(PoolTesting.sized(i, 504))).seq(), "seqs never go back");
            }
            for (long s = 11; s <= 20; s++) {
                assertTrue(pool.get(s).isEmpty(), "seq " + s + " never existed");
                Message first = pool.cursor(Start.seq(s), GapPolicy.FAIL, GapListener.IGNORE).next();
                assertEquals(21, first.seq(), "a cursor at a skipped seq starts at the next one");
            }
            for (long s = 1; s <= 30; s = s == 10 ? 21 : s + 1) {
                assertEquals(s, PoolTesting.sizedSeq(pool.get(s).orElseThrow()));
            }
            DoctorReport report = pool.doctor();
            assertTrue(report.clean(), report.issues()::toString);
            assertEquals(20, report.messageCount());
        }
    }

    private static long countAll(Pool pool) {
        long n = 0;
        Cursor c = pool.cursor(Start.earliest());
        for (Message m = c.next(); m != null; m = c.next()) {
            n++;
        }
        return n;
    }
}
