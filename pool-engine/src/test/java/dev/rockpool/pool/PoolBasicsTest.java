package dev.rockpool.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolBasicsTest {
    @TempDir
    Path dir;

    @Test
    void appendGetAndCursor() {
        try (Pool pool = Pool.create(dir.resolve("a.pool"), PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            AppendResult r1 = pool.append(Draft.of("{\"a\": 1}", "x", "y"));
            AppendResult r2 = pool.append(Draft.of("{\"b\":[1, 2]}"));
            assertEquals(1, r1.seq());
            assertEquals(2, r2.seq());
            assertTrue(r2.timeNanos() >= r1.timeNanos());
            Message m = pool.get(1).orElseThrow();
            assertEquals("{\"a\":1}", m.dataString());
            assertEquals(List.of("x", "y"), m.tags());
            assertEquals("{\"b\":[1,2]}", pool.get(2).orElseThrow().dataString());
            assertTrue(pool.get(3).isEmpty());
            Cursor c = pool.cursor(Start.earliest());
            assertEquals(1, c.next().seq());
            assertEquals(2, c.next().seq());
            assertNull(c.next());
            assertNull(c.poll(Duration.ofMillis(20)));
            pool.append(Draft.of("{}"));
            assertEquals(3, c.next().seq());
            assertTrue(pool.doctor().clean(), () -> pool.doctor().issues().toString());
        }
    }

    @Test
    void wrapsAroundManyTimesAndStaysClean() {
        try (Pool pool = Pool.create(dir.resolve("w.pool"), PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            Cursor slow = pool.cursor(Start.earliest());
            List<Gap> gaps = new ArrayList<>();
            Cursor gapped = pool.cursor(Start.earliest(), GapPolicy.CONTINUE, gaps::add);
            Cursor follower = pool.cursor(Start.earliest());
            long expected = 1;
            for (int i = 1; i <= 20_000; i++) {
                String pad = "x".repeat(i % 300);
                assertEquals(i, pool.append(Draft.of("{\"i\":" + i + ",\"p\":\"" + pad + "\"}")).seq());
                Message m = follower.next();
                assertEquals(expected++, m.seq());
                assertNull(follower.next());
            }
            DoctorReport report = pool.doctor();
            assertTrue(report.clean(), report.issues()::toString);
            PoolInfo info = pool.info();
            assertEquals(20_000, info.newestSeq());
            assertEquals(info.newestSeq() - info.oldestSeq() + 1, info.messageCount());
            Message first = gapped.next();
            assertEquals(1, gaps.size());
            assertEquals(1, gaps.get(0).firstMissingSeq());
            assertEquals(first.seq() - 1, gaps.get(0).count());
            assertEquals(info.oldestSeq(), first.seq());
            assertThrows(PoolException.class, () -> pool.cursor(Start.seq(1), GapPolicy.FAIL, GapListener.IGNORE)
                    .next());
            assertEquals(info.oldestSeq(), slow.next().seq());
        }
    }
}
