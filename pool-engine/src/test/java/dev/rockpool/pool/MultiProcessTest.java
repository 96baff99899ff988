package dev.rockpool.pool;

import dev.rockpool.pool.testing.ChildFollower;
import dev.rockpool.pool.testing.ChildProcess;
import dev.rockpool.pool.testing.ChildWriter;
import dev.rockpool.pool.testing.TestMessages;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four writer processes append 25,000 messages each into one pool while a follower process reads. The pool (32 MiB,
 * frames of at most 264 bytes) holds all 100,000 messages, so nothing is overwritten: the follower (gap policy fail)
 * must see every seq 1..100,000 exactly once and each writer's messages in the order it wrote them.
 */
class MultiProcessTest {
    private static final int WRITERS = 4;
    private static final int PER_WRITER = 25_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RingLayout.class)
    void fourWriterProcessesAndAFollowerProcess(RingLayout layout) {
        Path file = dir.resolve("multi.pool");
        try (Pool pool = layout.create(file, PoolOptions.ofSize(32L << 20))) {
            assertTrue(pool.info().ringCapacity() > (long) WRITERS * PER_WRITER * 264,
                    "the largest test frame is 264 bytes");
        }
        List<ChildProcess> children = new ArrayList<>();
        try {
            ChildProcess follower = ChildProcess.start(ChildFollower.class, dir.resolve("follower.err"),
                    file.toString(), Integer.toString(WRITERS), Integer.toString(WRITERS * PER_WRITER), "90");
            children.add(follower);
            follower.await("READY", 60);
            List<ChildProcess> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                ChildProcess writer = ChildProcess.start(ChildWriter.class, dir.resolve("writer" + w + ".err"),
                        file.toString(), Integer.toString(w), "0", Integer.toString(PER_WRITER), "progress");
                children.add(writer);
                writers.add(writer);
            }
            for (ChildProcess writer : writers) {
                String done = writer.await("DONE", 120);
                assertEquals("DONE " + PER_WRITER, done, writer::describe);
                assertEquals(0, writer.waitFor(60), writer::describe);
            }
            assertEquals("DONE " + WRITERS * PER_WRITER, follower.await("DONE", 120), follower::describe);
            assertEquals(0, follower.waitFor(60), follower::describe);
        } finally {
            children.forEach(ChildProcess::close);
        }

        try (Pool pool = Pool.open(file)) {
            PoolInfo info = pool.info();
            assertEquals(WRITERS * PER_WRITER, info.messageCount());
            assertEquals(1, info.oldestSeq());
            assertEquals(WRITERS * PER_WRITER, info.newestSeq());
            long[] next = new long[WRITERS];
            long expectedSeq = 1;
            long previousTime = 0;
            Cursor c = pool.cursor(Start.earliest(), GapPolicy.FAIL, GapListener.IGNORE);
            for (Message m = c.next(); m != null; m = c.next()) {
                assertEquals(expectedSeq++, m.seq());
                assertTrue(m.timeNanos() >= previousTime, "time grows with seq");
                previousTime = m.timeNanos();
                long[] wc = TestMessages.check(m, 200);
                assertEquals(next[(int) wc[0]]++, wc[1], "writer " + wc[0] + " order");
            }
            assertEquals(WRITERS * PER_WRITER + 1, expectedSeq);
            assertArrayEquals(new long[] {PER_WRITER, PER_WRITER, PER_WRITER, PER_WRITER}, next);
            DoctorReport report = pool.doctor();
            assertTrue(report.clean(), report.issues()::toString);
            assertEquals(List.of(), report.notes());
            assertEquals(WRITERS * PER_WRITER, report.messageCount());
        }
    }
}
