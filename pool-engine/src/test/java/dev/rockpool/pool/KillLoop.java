package dev.rockpool.pool;

import dev.rockpool.pool.testing.ChildProcess;
import dev.rockpool.pool.testing.ChildWriter;
import dev.rockpool.pool.testing.TestMessages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kill loop of the crash tests: child writer processes appending (and acknowledging each append on stdout)
 * are SIGKILLed at random moments, one after the other, and after each kill the pool is checked: doctor clean, no torn
 * message readable, every acknowledged append present, seqs strictly increasing and never reused, and the next
 * writer proceeds (it must take the dead writer's lock over). Set {@code -Drockpool.test.seed=N} to repeat a run's
 * kill moments (as far as the scheduler allows).
 */
final class KillLoop {
    static final long SEED = Long.getLong("rockpool.test.seed", System.nanoTime());

    private KillLoop() {
    }

    /** What one killed child acknowledged, in order. */
    private record Acks(List<long[]> seqAndCounter) {
        long firstSeq() {
            return seqAndCounter.get(0)[0];
        }

        long lastSeq() {
            return seqAndCounter.get(seqAndCounter.size() - 1)[0];
        }
    }

    /** Returns how many kills left the lock word held by the dead child. */
    static int runKills(Path dir, RingLayout layout, PoolOptions options, int kills, int batch, int maxPad,
                        boolean untilHeld, boolean poolHoldsAcks) throws Exception {
        try (Pool pool = layout.create(dir.resolve("crash.pool"), options)) {
            return runKills(dir, pool, kills, batch, maxPad, untilHeld, poolHoldsAcks);
        }
    }

    /**
     * The kill loop on a pool that may hold messages already: those must be {@link TestMessages} of {@code maxPad}
     * from writers other than 0 .. {@code kills}, the children's numbers.
     */
    static int runKills(Path dir, Pool pool, int kills, int batch, int maxPad, boolean untilHeld,
                        boolean poolHoldsAcks) throws Exception {
        Random random = new Random(SEED);
        Path file = pool.path();
        int held = 0;
        long maxAcked = 0;
        long checkedUpTo = 0;
        long totalAcks = 0;
        ChildProcess next = startChild(dir, file, 0, batch, maxPad);
        int i = 0;
        for (; i < kills || untilHeld && held == 0 && i < 40; i++) {
            ChildProcess child = next;
            Files.createFile(dir.resolve("go-" + i));
            String first = child.await("ACK", 120);
            // Start the next JVM now so that it is ready the moment this one dies: the test runs in half the time.
            // It waits for its go file, so it does not touch the pool before the checks below are done.
            next = startChild(dir, file, i + 1, batch, maxPad);
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
        return held;
    }

    private static ChildProcess startChild(Path dir, Path file, int writer, int batch, int maxPad) {
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
}
