package dev.rockpool.pool;

import dev.rockpool.pool.testing.ChildProcess;
import dev.rockpool.pool.testing.PoolFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers SIGKILLed at random moments: after each kill the pool validates clean, nothing torn is readable, every
 * acknowledged append is there, seqs only grow, and the next writer takes the lock over from the dead one. Also the
 * states a writer killed inside an append leaves, reproduced exactly.
 */
class CrashTest {
    private static final int KILLS = 50;
    /** Fewer on the segmented layout: its frames and recovery are the same code, crossing segment ends too. */
    private static final int SEGMENTED_KILLS = 25;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RingLayout.class)
    void killedWritersNeverLeaveTornMessages(RingLayout layout) throws Exception {
        // 32 MiB holds far more than one child appends between its first ack and its death, so every ack of the
        // child just killed must be present; over 50 children the ring wraps, so deaths also land during overwrites.
        KillLoop.runKills(dir, layout, PoolOptions.ofSize(32L << 20),
                layout == RingLayout.ONE_SEGMENT ? KILLS : SEGMENTED_KILLS, 1, 200, false, true);
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
                String deadNote = "writer lock held by pid " + holder.pid() + ", which no longer runs";
                assertTrue(dead.notes().toString().contains(deadNote),
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
                long slot = PoolFile.slotOffset(file, s);
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
