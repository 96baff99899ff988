package dev.rockpool.pool;

import dev.rockpool.pool.testing.Fuzz;
import dev.rockpool.pool.testing.FuzzCase;
import dev.rockpool.pool.testing.FuzzPools;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged and hostile pool files through the engine API (issue 13): real pools ({@link FuzzPools}) damaged at random
 * and on purpose ({@code Damager}), then opened, inspected, read every way, doctored and appended to. Invariants:
 * no exception but {@link PoolException} comes out; a message read from a pool that was not forged is exactly one that
 * was appended (a forged one may hold anything, but its tags and data either decode as stored data must or are
 * Corrupt); an acknowledged append is readable afterwards, also by a new handle; an append into a pool the doctor
 * found clean leaves it clean. {@code -Dfuzz.tries=N} and {@code -Dfuzz.seed=S} set the budget (see {@link Fuzz});
 * the regression files of every failure ever found run every time.
 */
class DamageFuzzTest {
    @TempDir
    static Path dir;

    @Test
    void generatedDamage() {
        Fuzz.run(dir, Fuzz.tries(1, 1), "engine", DamageFuzzTest::check);
    }

    @TestFactory
    Stream<DynamicTest> regressions() {
        return Fuzz.regressions(dir, "engine", DamageFuzzTest::check);
    }

    static void check(FuzzPools.Built built, Path file, FuzzCase c) {
        Pool pool = refusedOr(() -> Pool.open(file));
        if (pool == null) {
            return;
        }
        try (pool) {
            refusedOr(pool::info);
            DoctorReport before = refusedOr(pool::doctor);
            for (Start start : List.of(Start.earliest(), Start.latest(), Start.tail(3), Start.seq(2),
                    Start.seq(Long.MAX_VALUE), Start.time(0))) {
                readAll(pool, start, built, c);
            }
            for (long seq : built.originals().keySet()) {
                Optional<Message> found = refusedOr(() -> pool.get(seq));
                if (found != null && found.isPresent()) {
                    checkMessage(found.get(), built, c);
                }
            }
            refusedOr(() -> pool.get(Long.MAX_VALUE));
            AppendResult single = refusedOr(() -> pool.append(Draft.of("{\"fuzz\":\"single\"}", "fuzz")));
            if (single != null) {
                checkAcknowledged(pool, file, single, "{\"fuzz\":\"single\"}", before);
            }
            List<Draft> batch = List.of(Draft.of("{\"fuzz\":1}"), Draft.of("{\"fuzz\":2}", "fuzz"));
            List<AppendResult> results = refusedOr(() -> pool.appendBatch(batch, Durability.FAST));
            for (int i = 0; results != null && i < results.size(); i++) {
                checkAcknowledged(pool, file, results.get(i), batch.get(i).data().toString(), before);
            }
        }
    }

    /** The result, or null for a PoolException (the engine refusing damage); any other exception fails the case. */
    private static <T> T refusedOr(Supplier<T> call) {
        try {
            return call.get();
        } catch (PoolException refused) {
            return null;
        }
    }

    private static void readAll(Pool pool, Start start, FuzzPools.Built built, FuzzCase c) {
        Cursor cursor = refusedOr(() -> pool.cursor(start));
        long limit = built.ringCapacity() / FrameDescriptor.MIN_MESSAGE_LENGTH + 2;
        for (long i = 0; cursor != null && i < limit; i++) {
            Message m = refusedOr(cursor::next);
            if (m == null) {
                return;
            }
            checkMessage(m, built, c);
        }
    }

    /** What was read is what was appended, unless a frame was forged; then it must still decode or be Corrupt. */
    private static void checkMessage(Message m, FuzzPools.Built built, FuzzCase c) {
        if (!c.forged()) {
            FuzzPools.Original original = built.originals().get(m.seq());
            assertTrue(original != null && original.matches(m), () -> "a damaged message was returned as valid: "
                    + m + " (appended as " + original + ")");
            return;
        }
        try {
            m.tags();
            m.origin();
        } catch (PoolException e) {
            corruptNamingTheFrame(e, m);
        }
        try {
            m.checkData();
            m.dataTree();
        } catch (PoolException e) {
            corruptNamingTheFrame(e, m);
        }
    }

    private static void corruptNamingTheFrame(PoolException e, Message m) {
        assertEquals(ErrorKind.CORRUPT, e.kind(), e::getMessage);
        assertEquals(m.seq(), e.seq(), e::getMessage);
        assertTrue(e.offset() != null && e.path() != null, e::getMessage);
    }

    /** An append that returned is readable now, by a new handle too; a clean pool stays clean. */
    private static void checkAcknowledged(Pool pool, Path file, AppendResult r, String data, DoctorReport before) {
        assertAppended(pool.get(r.seq()), r, data, "this handle");
        try (Pool again = Pool.open(file)) {
            assertAppended(again.get(r.seq()), r, data, "a new handle");
            Message first = again.cursor(Start.seq(r.seq())).next();
            assertTrue(first != null && first.seq() == r.seq(), () -> "a cursor at seq " + r.seq() + " read " + first);
        } catch (PoolException e) {
            throw new AssertionError("acknowledged seq " + r.seq() + " is not readable by a new handle: " + e, e);
        }
        if (before != null && before.clean()) {
            DoctorReport after = pool.doctor();
            assertTrue(after.clean(), () -> "an append made a clean pool corrupt: " + after.issues()
                    + " (notes before: " + before.notes() + ")");
        }
    }

    private static void assertAppended(Optional<Message> got, AppendResult r, String data, String by) {
        Message m = got.orElseThrow(() -> new AssertionError("acknowledged seq " + r.seq() + " not found by " + by));
        assertEquals(r.timeNanos(), m.timeNanos(), by);
        assertTrue(Arrays.equals(data.getBytes(java.nio.charset.StandardCharsets.UTF_8), m.data()),
                () -> "acknowledged seq " + r.seq() + " reads back as " + m.dataString() + " by " + by);
    }
}
