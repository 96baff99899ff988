package dev.rockpool.pool;

import dev.rockpool.pool.testing.ChildProcess;
import dev.rockpool.pool.testing.ChildWriter;
import dev.rockpool.pool.testing.TestMessages;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writer threads and a writer process overwrite a 64 KiB pool many times over while reader threads, some of them
 * deliberately slow, read it with cursors: no reader ever gets a corrupt or wrong message, and every reader's gaps
 * account exactly for what it did not read. Two of the readers read in place ({@link Cursor#nextView()}): whatever
 * they read from a view that then says {@link MessageView#intact()} is exactly the message.
 */
class LappedReaderTest {
    private static final int MAX_PAD = 300;
    private static final int THREAD_WRITERS = 2;
    private static final int PROCESS_WRITER = THREAD_WRITERS;
    private static final int MIN_PER_THREAD = 20_000;
    private static final int PER_PROCESS = 20_000;

    @TempDir
    Path dir;

    /**
     * What one reader saw: (seq, writer, counter) per message, and its gaps; in-place readers also list the seqs of
     * views that were overwritten before they were done (returned by the cursor, so neither message nor gap).
     */
    private record Reading(long startSeq, long endSeq, List<long[]> messages, List<Gap> gaps,
                           List<Long> overwritten) {
    }

    @ParameterizedTest
    @EnumSource(RingLayout.class)
    void lappedReadersNeverSeeCorruptionAndCountTheirGaps(RingLayout layout) throws Exception {
        Path file = dir.resolve("lapped.pool");
        Pool pool = layout.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE));
        // seq -> writer * 2^32 + counter, for every append that returned, from the threads and the child's acks.
        Map<Long, Long> written = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService exec = Executors.newCachedThreadPool();
        ChildProcess child = ChildProcess.start(ChildWriter.class, dir.resolve("child.err"), file.toString(),
                Integer.toString(PROCESS_WRITER), "0", Integer.toString(PER_PROCESS), "ack", "1",
                Integer.toString(MAX_PAD), dir.resolve("go").toString());
        try {
            child.await("READY", 120);
            List<Future<Reading>> readers = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
                int slowness = r % 3;
                boolean inPlace = r >= 3;
                readers.add(exec.submit(() -> read(pool, writing, slowness, inPlace)));
            }
            Future<long[]> failing = exec.submit(() -> readFailing(pool, writing));
            List<Future<Long>> writers = new ArrayList<>();
            Files.createFile(dir.resolve("go"));
            AtomicBoolean childDone = new AtomicBoolean();
            for (int w = 0; w < THREAD_WRITERS; w++) {
                int writer = w;
                writers.add(exec.submit(() -> {
                    long i = 0;
                    // Keep writing until the child is done too, so threads and process overwrite each other.
                    while (i < MIN_PER_THREAD || !childDone.get() && i < 50 * MIN_PER_THREAD) {
                        long seq = pool.append(TestMessages.draft(writer, i, MAX_PAD)).seq();
                        written.put(seq, ((long) writer << 32) | i);
                        i++;
                    }
                    return i;
                }));
            }
            long acks = 0;
            for (String line = child.nextLine(120); line != null; line = child.nextLine(120)) {
                if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ");
                    written.put(Long.parseLong(parts[1]), ((long) PROCESS_WRITER << 32) | Long.parseLong(parts[2]));
                    acks++;
                } else if (line.startsWith("DONE")) {
                    break;
                }
            }
            assertEquals(PER_PROCESS, acks, child::describe);
            assertEquals(0, child.waitFor(60), child::describe);
            childDone.set(true);
            long threadAppends = 0;
            for (Future<Long> f : writers) {
                threadAppends += f.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);

            long total = threadAppends + PER_PROCESS;
            assertEquals(total, written.size());
            for (long s = 1; s <= total; s++) {
                assertNotNull(written.get(s), "seq " + s + " was assigned to no append");
            }
            assertTrue(total * 100 > 20 * pool.info().ringCapacity(), "the ring was overwritten many times");

            long totalGaps = 0;
            for (Future<Reading> f : readers) {
                Reading reading = f.get(120, TimeUnit.SECONDS);
                totalGaps += checkReading(reading, written);
            }
            assertTrue(totalGaps > 0, "the slow readers were lapped");
            long[] failures = failing.get(120, TimeUnit.SECONDS);
            assertTrue(failures[0] > 0, "the fail-policy reader hit RetentionGap");
            assertTrue(pool.doctor().clean(), pool.doctor().issues()::toString);
        } finally {
            writing.set(false);
            exec.shutdownNow();
            child.close();
            pool.close();
        }
    }

    /**
     * Reads from the earliest message with policy continue; reader {@code slowness} 0 is fast, 2 is slowest. An
     * in-place reader reads data and tags through the view, pausing in the middle now and then so that writers
     * overwrite some views while they are read.
     */
    private static Reading read(Pool pool, AtomicBoolean writing, int slowness, boolean inPlace) {
        List<long[]> messages = new ArrayList<>();
        List<Gap> gaps = new ArrayList<>();
        List<Long> overwritten = new ArrayList<>();
        Cursor c = pool.cursor(Start.earliest(), GapPolicy.CONTINUE, gaps::add);
        long start = c.nextSeq();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (true) {
            Object read = inPlace ? c.nextView() : c.next();
            if (read == null) {
                if (!writing.get() && (inPlace ? c.nextView() : c.next()) == null) {
                    break;
                }
                LockSupport.parkNanos(20_000);
                continue;
            }
            long seq;
            long[] wc;
            if (read instanceof MessageView v) {
                seq = v.seq();
                String text = java.nio.charset.StandardCharsets.UTF_8.decode(v.data()).toString();
                if (random.nextInt(20) == 0) {
                    LockSupport.parkNanos(random.nextInt(500_000));
                }
                List<String> tags;
                try {
                    tags = v.tags();
                } catch (PoolException e) {
                    tags = null; // the meta was overwritten while decoded: intact() must say so
                }
                if (!v.intact()) {
                    overwritten.add(seq);
                    continue;
                }
                assertNotNull(tags, "an intact view's meta decodes");
                wc = TestMessages.check(seq, text, tags, MAX_PAD);
            } else {
                Message m = (Message) read;
                seq = m.seq();
                wc = TestMessages.check(m, MAX_PAD);
            }
            messages.add(new long[] {seq, wc[0], wc[1]});
            if (slowness > 0 && random.nextInt(50) == 0) {
                LockSupport.parkNanos(slowness * (long) random.nextInt(2_000_000));
            }
        }
        return new Reading(start, c.nextSeq(), messages, gaps, overwritten);
    }

    /**
     * Returns the reader's gap total after checking: strictly increasing seqs, each message exactly what was
     * appended under its seq, each gap starting right after the previous message and ending right before the next,
     * and messages plus gaps covering the reader's whole range.
     */
    private static long checkReading(Reading reading, Map<Long, Long> written) {
        long expected = reading.startSeq();
        int g = 0;
        long gapTotal = 0;
        // Overwritten views count as read: the cursor returned them, in seq order with the messages.
        List<long[]> returned = new ArrayList<>(reading.messages());
        reading.overwritten().forEach(seq -> returned.add(new long[] {seq, -1, -1}));
        returned.sort(java.util.Comparator.comparingLong(m -> m[0]));
        for (long[] m : returned) {
            if (m[0] != expected) {
                assertTrue(g < reading.gaps().size(), "seq " + m[0] + " after " + (expected - 1) + " without a gap");
                Gap gap = reading.gaps().get(g++);
                assertEquals(expected, gap.firstMissingSeq(), "gap start");
                assertEquals(m[0], gap.resumeSeq(), "gap end");
                gapTotal += gap.count();
            }
            assertTrue(m[0] >= expected, "seqs strictly increase");
            if (m[1] >= 0) {
                long what = written.get(m[0]);
                assertEquals(what >>> 32, m[1], "writer of seq " + m[0]);
                assertEquals(what & 0xFFFFFFFFL, m[2], "counter of seq " + m[0]);
            }
            expected = m[0] + 1;
        }
        assertEquals(reading.gaps().size(), g, "every gap is followed by a message");
        assertEquals(reading.endSeq(), expected);
        assertEquals(reading.endSeq() - reading.startSeq(), returned.size() + gapTotal,
                "messages + gaps == the seq range covered");
        return gapTotal;
    }

    /**
     * A slow reader with policy fail: each RetentionGap must name the seq the cursor expected, which is gone, and a
     * retry on the same cursor names the same seq; then it starts over from the earliest message.
     */
    private static long[] readFailing(Pool pool, AtomicBoolean writing) {
        long failures = 0;
        long read = 0;
        while (writing.get()) {
            Cursor c = pool.cursor(Start.earliest(), GapPolicy.FAIL, GapListener.IGNORE);
            try {
                while (writing.get()) {
                    Message m = c.next();
                    if (m != null) {
                        TestMessages.check(m, MAX_PAD);
                        read++;
                    }
                    LockSupport.parkNanos(200_000);
                }
            } catch (PoolException e) {
                assertEquals(ErrorKind.RETENTION_GAP, e.kind(), e::getMessage);
                long missing = c.nextSeq();
                assertEquals(missing, (long) e.seq(), "names the first missing seq");
                assertTrue(pool.get(missing).isEmpty(), "seq " + missing + " really is gone");
                PoolException again = org.junit.jupiter.api.Assertions.assertThrows(PoolException.class, c::next);
                assertEquals(missing, (long) again.seq(), "the gap does not go away by asking again");
                failures++;
            }
        }
        return new long[] {failures, read};
    }
}
