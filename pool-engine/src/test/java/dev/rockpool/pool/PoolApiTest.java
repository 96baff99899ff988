package dev.rockpool.pool;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.rockpool.pool.PoolTesting.assertClean;
import static dev.rockpool.pool.PoolTesting.assertConsistent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** append / get / cursor / follow, JSON validation, batches, durability, info, create, delete and names. */
class PoolApiTest {
    @TempDir
    Path dir;

    private Pool newPool() {
        return Pool.create(dir.resolve("p.pool"), PoolOptions.ofSize(PoolOptions.MIN_SIZE));
    }

    private static void appendN(Pool pool, int n) {
        for (int i = 0; i < n; i++) {
            pool.append(Draft.of("{\"n\":" + (pool.info().nextSeq()) + "}"));
        }
    }

    private static List<Long> drain(Cursor c) {
        List<Long> seqs = new ArrayList<>();
        for (Message m = c.next(); m != null; m = c.next()) {
            seqs.add(m.seq());
        }
        return seqs;
    }

    @Test
    void appendAssignsSeqsAndGetReturnsWhatWasWritten() {
        try (Pool pool = newPool()) {
            AppendResult a = pool.append(Draft.of("{ \"a\" : [1, 2, {\"b\": null}], \"u\": \"\u00e9\u2603\" }",
                    "t1", "", "\u00fc"));
            AppendResult b = pool.append(new Draft(List.of(), new Origin("topic.x", 3, 123456789012L),
                    JsonData.parse("{}")));
            assertEquals(1, a.seq());
            assertEquals(2, b.seq());
            assertTrue(b.timeNanos() >= a.timeNanos(), "time never goes backwards");
            Message m = pool.get(1).orElseThrow();
            assertEquals("{\"a\":[1,2,{\"b\":null}],\"u\":\"\u00e9\u2603\"}", m.dataString());
            assertEquals(List.of("t1", "", "\u00fc"), m.tags());
            assertNull(m.origin());
            assertEquals(a.timeNanos(), m.timeNanos());
            assertArrayEquals(m.dataString().getBytes(java.nio.charset.StandardCharsets.UTF_8), m.data());
            assertEquals(m.dataString(), new String(m.payloadArray(), m.dataOffset(), m.dataLength(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(m.hasAllTags(List.of("t1", "\u00fc")));
            assertFalse(m.hasAllTags(List.of("t2")));
            Message n = pool.get(2).orElseThrow();
            assertEquals(new Origin("topic.x", 3, 123456789012L), n.origin());
            assertEquals(List.of(), n.tags());
            assertEquals("{}", n.jsonData().toString());
            assertTrue(pool.get(3).isEmpty());
            assertTrue(pool.get(0).isEmpty());
            assertTrue(pool.get(-1).isEmpty());
            assertTrue(pool.get(Long.MAX_VALUE).isEmpty());
            assertConsistent(pool);
        }
    }

    @Test
    void invalidDataIsAUsageErrorAndNothingIsAppended() {
        String[][] cases = {
            {"[1,2]", "an array"}, {"42", "a number"}, {"\"s\"", "a string"}, {"null", "null"},
            {"true", "a boolean"}, {"", "empty input"}, {"   ", "empty input"}, {"{", "invalid JSON"},
            {"{\"a\":}", "invalid JSON"}, {"{} {}", "trailing content"}, {"{}x", "invalid JSON"},
            {"{\"a\":1,\"a\":2}", "invalid JSON"}, {"{'a':1}", "invalid JSON"},
        };
        try (Pool pool = newPool()) {
            for (String[] c : cases) {
                PoolException e = assertThrows(PoolException.class, () -> pool.append(Draft.of(c[0])), c[0]);
                assertEquals(ErrorKind.USAGE, e.kind(), c[0]);
                assertTrue(e.getMessage().contains(c[1]), () -> c[0] + " -> " + e.getMessage());
            }
            assertThrows(PoolException.class, () -> JsonData.trusted("[]".getBytes()));
            assertEquals(0, pool.info().messageCount());
            assertEquals(1, pool.info().nextSeq());
        }
    }

    @Test
    void messageTooLargeIsAUsageErrorAndNothingIsAppended() {
        try (Pool pool = newPool()) {
            pool.append(Draft.of("{}"));
            long ring = pool.info().ringCapacity();
            assertEquals(ring, pool.maxFrameLength());
            PoolException e = assertThrows(PoolException.class,
                    () -> pool.append(Draft.of(PoolTesting.sized(2, (int) ring + 1))));
            assertEquals(ErrorKind.USAGE, e.kind());
            assertTrue(e.getMessage().contains("message too large: " + (ring + 1)), e.getMessage());
            MessageTooLargeException tooLarge = assertInstanceOf(MessageTooLargeException.class, e);
            assertEquals(ring + 1, tooLarge.frameLength());
            assertEquals(ring, tooLarge.limit(), "the facts a front end turns into its own hint");
            assertNull(e.hint(), "the engine speaks no front end's flags");
            String tooLongTag = "t".repeat(MetaCodec.MAX_STRING_BYTES + 1);
            PoolException t = assertThrows(PoolException.class, () -> pool.append(Draft.of("{}", tooLongTag)));
            assertEquals(ErrorKind.USAGE, t.kind());
            PoolInfo info = pool.info();
            assertEquals(1, info.messageCount());
            assertEquals(2, info.nextSeq());
            assertEquals(2, pool.append(Draft.of("{}")).seq(), "no seq was used up by the failures");
        }
    }

    @Test
    void batchIsAllOrNothing() {
        try (Pool pool = newPool()) {
            pool.append(Draft.of("{\"first\":1}"));
            Cursor c = pool.cursor(Start.latest());
            List<Draft> bad = List.of(Draft.of("{\"a\":1}"), Draft.of("{\"a\":2}"),
                    Draft.of(PoolTesting.sized(9, (int) pool.info().ringCapacity() + 8)));
            assertEquals(ErrorKind.USAGE,
                    assertThrows(PoolException.class, () -> pool.appendBatch(bad, Durability.FAST)).kind());
            assertEquals(1, pool.info().messageCount());
            assertNull(c.next());

            List<Draft> good = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                good.add(Draft.of("{\"i\":" + i + "}", "batch"));
            }
            List<AppendResult> results = pool.appendBatch(good, Durability.FAST);
            assertEquals(100, results.size());
            for (int i = 0; i < 100; i++) {
                assertEquals(2 + i, results.get(i).seq());
                assertEquals(results.get(0).timeNanos(), results.get(i).timeNanos(), "one time per batch");
                Message m = c.next();
                assertEquals(2 + i, m.seq());
                assertEquals("{\"i\":" + i + "}", m.dataString());
                assertEquals(List.of("batch"), m.tags());
            }
            assertNull(c.next());
            assertEquals(List.of(), pool.appendBatch(List.of(), Durability.FAST));
            assertConsistent(pool);
        }
    }

    @Test
    void batchWithRejectionsAppendsTheGoodDraftsUnderOnePublish() {
        try (Pool pool = newPool()) {
            int tooLarge = (int) pool.maxFrameLength() + 8;
            List<Draft> drafts = List.of(Draft.of("{\"a\":1}"), Draft.of(PoolTesting.sized(9, tooLarge)),
                    Draft.of("{\"a\":3}"), Draft.of("{}", "t".repeat(MetaCodec.MAX_STRING_BYTES + 1)),
                    Draft.of("{\"a\":5}"));
            Cursor c = pool.cursor(Start.latest());

            BatchResult skip = pool.appendBatch(drafts, Durability.FAST, BadDraftPolicy.SKIP);
            assertEquals(List.of(1, 3), skip.rejections().stream().map(BatchResult.Rejection::index).toList());
            assertInstanceOf(MessageTooLargeException.class, skip.rejections().get(0).error());
            assertEquals(ErrorKind.USAGE, skip.rejections().get(1).error().kind());
            assertEquals(List.of(1L, 2L, 3L), skip.receipts().stream().map(AppendResult::seq).toList());
            assertEquals(1, skip.receipt(0).seq());
            assertNull(skip.receipt(1));
            assertEquals(2, skip.receipt(2).seq());
            assertEquals(3, skip.receipt(4).seq());
            assertEquals(skip.receipt(0).timeNanos(), skip.receipt(4).timeNanos(), "one publish, one time");
            assertEquals(List.of("{\"a\":1}", "{\"a\":3}", "{\"a\":5}"),
                    List.of(c.next().dataString(), c.next().dataString(), c.next().dataString()));

            BatchResult stop = pool.appendBatch(drafts, Durability.FAST, BadDraftPolicy.STOP);
            assertEquals(List.of(1), stop.rejections().stream().map(BatchResult.Rejection::index).toList(),
                    "only the first refused draft is reported");
            assertEquals(List.of(4L), stop.receipts().stream().map(AppendResult::seq).toList(),
                    "the drafts before it, nothing after it");
            assertNull(stop.receipt(2));
            assertEquals(4, pool.info().messageCount());

            BatchResult none = pool.appendBatch(List.of(drafts.get(1)), Durability.FAST, BadDraftPolicy.SKIP);
            assertEquals(List.of(), none.receipts());
            assertEquals(5, pool.info().nextSeq(), "no seq used up by refused drafts");
            assertConsistent(pool);
        }
    }

    @Test
    void fetchNamesTheMissingSeq() {
        try (Pool pool = newPool()) {
            appendN(pool, 3);
            assertEquals(2, pool.fetch(2).seq());
            PoolException later = assertThrows(PoolException.class, () -> pool.fetch(9));
            assertEquals(ErrorKind.NOT_FOUND, later.kind());
            assertEquals(9L, later.seq());
            assertTrue(later.getMessage().startsWith("message not found: seq 9 (not written yet; it holds seq 1 to 3"),
                    later.getMessage());
            assertEquals(pool.path(), later.path());
            assertTrue(assertThrows(PoolException.class, () -> pool.fetch(0)).getMessage().contains("seq 0"));
        }
    }

    @Test
    void replacedOnDiskNoticesADeletedOrRecreatedFile() throws Exception {
        Path file = dir.resolve("r.pool");
        try (Pool pool = Pool.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            assertFalse(pool.replacedOnDisk());
            try (Pool same = Pool.open(file)) {
                assertFalse(same.replacedOnDisk());
            }
            Files.delete(file);
            assertTrue(pool.replacedOnDisk(), "deleted");
            Pool.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE)).close();
            assertTrue(pool.replacedOnDisk(), "another file at the same path");
            try (Pool again = Pool.open(file)) {
                assertFalse(again.replacedOnDisk());
            }
        }
    }

    @Test
    void aFileWithoutWriteBitsIsReadOnlyForEveryone() throws Exception {
        Path file = dir.resolve("ro.pool");
        Pool.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE)).close();
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        try (Pool pool = Pool.open(file)) {
            assertNotNull(pool.readOnlyReason(), "read-only even for root, whom the kernel would let write");
            PoolException e = assertThrows(PoolException.class, pool::checkWritable);
            assertEquals(ErrorKind.PERMISSION, e.kind());
            assertEquals(ErrorKind.PERMISSION,
                    assertThrows(PoolException.class, () -> pool.append(Draft.of("{}"))).kind());
            assertEquals(0, pool.info().messageCount());
        } finally {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        try (Pool pool = Pool.open(file)) {
            assertNull(pool.readOnlyReason());
            pool.checkWritable();
        }
    }

    @Test
    void flushDurabilitySurvivesReopen() {
        Path file = dir.resolve("f.pool");
        List<String> written = new ArrayList<>();
        try (Pool pool = Pool.create(file, new PoolOptions(PoolOptions.MIN_SIZE, 64))) {
            long ring = pool.info().ringCapacity();
            for (int i = 0; i < 30; i++) {
                String data = PoolTesting.sized(i + 1, 1000);
                written.add(data);
                assertEquals(i + 1, pool.append(Draft.of(data), Durability.FLUSH).seq());
            }
            // Batches that wrap the ring and that cover more seqs than the index has slots: every msync branch.
            List<Draft> batch = new ArrayList<>();
            for (int i = 30; i < 130; i++) {
                String data = PoolTesting.sized(i + 1, 200);
                written.add(data);
                batch.add(Draft.of(data));
            }
            pool.appendBatch(batch, Durability.FLUSH);
            batch.clear();
            int big = (int) (ring / 3) & -8;
            for (int i = 130; i < 133; i++) {
                String data = PoolTesting.sized(i + 1, big);
                written.add(data);
                batch.add(Draft.of(data));
            }
            pool.appendBatch(batch, Durability.FLUSH);
            // A batch whose index slots wrap at the end of the 64-slot index: seqs 188..197 use slots 60..63, 0..5.
            for (int i = 133; i < 187; i++) {
                String data = PoolTesting.sized(i + 1, 64);
                written.add(data);
                pool.append(Draft.of(data), Durability.FLUSH);
            }
            batch.clear();
            for (int i = 187; i < 197; i++) {
                String data = PoolTesting.sized(i + 1, 120);
                written.add(data);
                batch.add(Draft.of(data));
            }
            assertEquals(188, pool.appendBatch(batch, Durability.FLUSH).get(0).seq());
        }
        try (Pool pool = Pool.open(file)) {
            PoolInfo info = pool.info();
            assertEquals(197, info.newestSeq());
            for (long s = info.oldestSeq(); s <= 197; s++) {
                assertEquals(written.get((int) s - 1), pool.get(s).orElseThrow().dataString());
            }
            assertConsistent(pool);
        }
    }

    @Test
    void cursorStartsEarliestLatestSeqTimeTail() {
        try (Pool pool = newPool()) {
            assertNull(pool.cursor(Start.earliest()).next());
            Cursor early = pool.cursor(Start.earliest());
            Cursor fromLatestOnEmpty = pool.cursor(Start.latest());
            List<Message> all = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                pool.append(Draft.of("{\"i\":" + i + "}"));
                all.add(pool.get(i).orElseThrow());
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), drain(early));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), drain(fromLatestOnEmpty));

            Cursor latest = pool.cursor(Start.latest());
            assertEquals(6, latest.nextSeq());
            assertTrue(latest.caughtUp());
            assertNull(latest.next());
            assertEquals(List.of(3L, 4L, 5L), drain(pool.cursor(Start.seq(3))));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), drain(pool.cursor(Start.seq(1))));

            Cursor future = pool.cursor(Start.seq(8));
            assertEquals(8, future.nextSeq());
            assertNull(future.next());
            assertEquals(List.of(4L, 5L), drain(pool.cursor(Start.tail(2))));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), drain(pool.cursor(Start.tail(100))));
            Cursor tail0 = pool.cursor(Start.tail(0));
            assertNull(tail0.next());

            for (Message m : all) {
                List<Long> expected = new ArrayList<>();
                for (Message o : all) {
                    if (o.timeNanos() >= m.timeNanos()) {
                        expected.add(o.seq());
                    }
                }
                assertEquals(expected, drain(pool.cursor(Start.time(m.timeNanos()))));
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), drain(pool.cursor(Start.time(0))));
            Cursor afterAll = pool.cursor(Start.time(Long.MAX_VALUE));
            assertNull(afterAll.next());

            appendN(pool, 5);
            assertEquals(List.of(6L, 7L, 8L, 9L, 10L), drain(latest));
            assertEquals(List.of(8L, 9L, 10L), drain(future), "a future seq starts there once it exists");
            assertEquals(List.of(6L, 7L, 8L, 9L, 10L), drain(tail0));
            assertEquals(List.of(6L, 7L, 8L, 9L, 10L), drain(afterAll));
            assertEquals(11, latest.nextSeq());

            assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class, () -> Start.seq(0)).kind());
            assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class, () -> Start.tail(-1)).kind());
        }
    }

    @Test
    void nextViewReadsInPlaceWhatNextCopies() {
        try (Pool pool = newPool()) {
            // Past one lap of the 64 KiB ring, so the views also cross the wrap and its filler.
            for (int i = 0; i < 1500; i++) {
                pool.append(Draft.of("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 97) + "\"}", "t" + i % 3));
            }
            Cursor copying = pool.cursor(Start.earliest());
            Cursor inPlace = pool.cursor(Start.earliest());
            int count = 0;
            for (Message m = copying.next(); m != null; m = copying.next(), count++) {
                MessageView v = inPlace.nextView();
                assertNotNull(v, "view of seq " + m.seq());
                assertEquals(m.seq(), v.seq());
                assertEquals(m.timeNanos(), v.timeNanos());
                assertEquals(m.dataLength(), v.dataLength());
                assertEquals(m.dataString(), StandardCharsets.UTF_8.decode(v.data()).toString());
                assertEquals(m.tags(), v.tags());
                assertTrue(v.intact());
            }
            assertNull(inPlace.nextView(), "both caught up");
            assertTrue(count > 100 && pool.info().oldestSeq() > 1, "the ring wrapped");
        }
    }

    @Test
    void aViewOverwrittenByAWriterIsNotIntact() {
        try (Pool pool = newPool()) {
            pool.append(Draft.of("{\"first\":true}"));
            Cursor c = pool.cursor(Start.earliest());
            MessageView v = c.nextView();
            assertEquals("{\"first\":true}", StandardCharsets.UTF_8.decode(v.data()).toString());
            assertTrue(v.intact());
            while (pool.info().oldestSeq() == 1) {
                pool.append(Draft.of("{\"more\":\"" + "y".repeat(200) + "\"}"));
            }
            assertFalse(v.intact(), "the writer lapped the frame the view shows");
        }
    }

    /** Opening (and doctoring) a full pool while a writer overwrites it is never mistaken for a corrupt header. */
    @Test
    void openAndDoctorWhileAWriterLapsTheRing() throws Exception {
        try (Pool pool = newPool()) {
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Draft draft = Draft.of("{\"pad\":\"" + "z".repeat(100) + "\"}");
            Thread writer = new Thread(() -> {
                while (writing.get()) {
                    pool.append(draft);
                }
            });
            writer.start();
            try {
                while (pool.info().oldestSeq() == 1) {
                    Thread.onSpinWait();
                }
                for (int i = 0; i < 20_000; i++) {
                    try (Pool opened = Pool.open(pool.path())) {
                        if (i % 1000 == 0) {
                            assertTrue(opened.doctor().clean(), opened.doctor().issues()::toString);
                        }
                    }
                }
            } finally {
                writing.set(false);
                writer.join();
            }
        }
    }

    @Test
    void seqOlderThanTheOldestIsAGap() {
        try (Pool pool = newPool()) {
            for (int i = 1; pool.info().oldestSeq() < 50; i++) {
                pool.append(Draft.of(PoolTesting.sized(i, 1000)));
            }
            PoolInfo info = pool.info();
            long oldest = info.oldestSeq();
            List<Gap> gaps = new ArrayList<>();
            Cursor c = pool.cursor(Start.seq(7), GapPolicy.CONTINUE, gaps::add);
            assertEquals(7, c.nextSeq());
            Message first = c.next();
            assertEquals(oldest, first.seq());
            assertEquals(List.of(new Gap(7, oldest - 7)), gaps);
            assertEquals(oldest, gaps.get(0).resumeSeq());

            Cursor fail = pool.cursor(Start.seq(7), GapPolicy.FAIL, GapListener.IGNORE);
            PoolException e = assertThrows(PoolException.class, fail::next);
            assertEquals(ErrorKind.RETENTION_GAP, e.kind());
            assertEquals(7L, e.seq());
            assertTrue(e.getMessage().contains("seq 7") && e.getMessage().contains((oldest - 7) + " lost"),
                    e.getMessage());

            gaps.clear();
            Cursor exact = pool.cursor(Start.seq(oldest), GapPolicy.FAIL, gaps::add);
            assertEquals(oldest, exact.next().seq(), "the oldest seq itself is no gap");
            assertEquals(List.of(), gaps);
            assertEquals(oldest, pool.cursor(Start.earliest(), GapPolicy.FAIL, gaps::add).next().seq());
            assertEquals(List.of(), gaps);
        }
    }

    @Test
    void pollTimesOutThenSeesAnAppendFromAnotherThread() throws Exception {
        ExecutorService exec = Executors.newSingleThreadExecutor();
        try (Pool pool = newPool()) {
            Cursor c = pool.cursor(Start.earliest());
            assertNull(c.poll(Duration.ofMillis(10)), "timeout with nothing to read");
            assertNull(c.poll(Duration.ZERO));
            Future<Message> polled = exec.submit(() -> c.poll(Duration.ofMinutes(2)));
            pool.append(Draft.of("{\"x\":1}"));
            assertEquals(1, polled.get(60, TimeUnit.SECONDS).seq());
            pool.append(Draft.of("{\"x\":2}"));
            assertEquals(2, c.poll(Duration.ofMinutes(1)).seq(), "a message already there returns at once");
        } finally {
            exec.shutdownNow();
        }
    }

    @Test
    void wakeupEndsAPollFromAnotherThread() throws Exception {
        ExecutorService exec = Executors.newSingleThreadExecutor();
        try (Pool pool = newPool()) {
            Cursor c = pool.cursor(Start.earliest());
            AtomicReference<Thread> poller = new AtomicReference<>();
            Future<Message> polled = exec.submit(() -> {
                poller.set(Thread.currentThread());
                return c.poll(Duration.ofMinutes(10));
            });
            // Wait until the poller has gone past spinning into a park, so the wakeup really has to unpark it.
            while (poller.get() == null || poller.get().getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
                if (polled.isDone()) {
                    break;
                }
            }
            c.wakeup();
            assertNull(polled.get(60, TimeUnit.SECONDS));
            // A wakeup is consumed by the poll it ended: the next poll waits and sees new messages.
            pool.append(Draft.of("{}"));
            assertEquals(1, c.poll(Duration.ofMinutes(1)).seq());
            c.wakeup();
            assertNull(c.poll(Duration.ofMinutes(10)), "a wakeup before the poll ends the next poll");
        } finally {
            exec.shutdownNow();
        }
    }

    @Test
    void busySpinFollowerSeesEveryMessageInOrder() throws Exception {
        ExecutorService exec = Executors.newSingleThreadExecutor();
        // 1 MiB holds all 2000 messages: a follower descheduled on a busy machine must not be lapped here.
        try (Pool pool = Pool.create(dir.resolve("spin.pool"), PoolOptions.ofSize(1L << 20))) {
            Cursor c = pool.cursor(Start.earliest(), GapPolicy.FAIL, GapListener.IGNORE)
                    .waitStrategy(WaitStrategy.busySpin());
            Future<List<Long>> read = exec.submit(() -> {
                List<Long> seqs = new ArrayList<>();
                while (seqs.size() < 2000) {
                    Message m = c.poll(Duration.ofSeconds(30));
                    if (m == null) {
                        break;
                    }
                    assertEquals(m.seq(), Long.parseLong(m.dataString().replaceAll("\\D", "")));
                    seqs.add(m.seq());
                }
                return seqs;
            });
            for (int i = 1; i <= 2000; i++) {
                pool.append(Draft.of("{\"n\":" + i + "}"));
                if (i % 100 == 0) {
                    Thread.yield();
                }
            }
            List<Long> seqs = read.get(60, TimeUnit.SECONDS);
            assertEquals(2000, seqs.size());
            for (int i = 0; i < seqs.size(); i++) {
                assertEquals(i + 1, seqs.get(i));
            }
            Cursor backoff = pool.cursor(Start.latest()).waitStrategy(WaitStrategy.backoff(50_000));
            assertNull(backoff.poll(Duration.ofMillis(5)));
        } finally {
            exec.shutdownNow();
        }
    }

    @Test
    void infoBounds() {
        try (Pool pool = newPool()) {
            PoolInfo empty = pool.info();
            assertEquals(0, empty.messageCount());
            assertEquals(0, empty.oldestSeq());
            assertEquals(0, empty.newestSeq());
            assertEquals(1, empty.nextSeq());
            assertEquals(0, empty.bytesUsed());
            assertEquals(empty.ringCapacity(), empty.bytesFree());
            assertEquals(0, empty.oldestTimeNanos());
            assertEquals(0, empty.newestTimeNanos());
            assertEquals(HeaderDescriptor.VERSION_ONE_SEGMENT, empty.formatVersion());
            assertTrue(empty.createdNanos() > 0);
            assertEquals(pool.id(), empty.poolId());

            AppendResult first = pool.append(Draft.of(PoolTesting.sized(1, 104)));
            AppendResult second = pool.append(Draft.of(PoolTesting.sized(2, 200)));
            PoolInfo two = pool.info();
            assertEquals(2, two.messageCount());
            assertEquals(1, two.oldestSeq());
            assertEquals(2, two.newestSeq());
            assertEquals(3, two.nextSeq());
            assertEquals(first.timeNanos(), two.oldestTimeNanos());
            assertEquals(second.timeNanos(), two.newestTimeNanos());
            assertEquals(104 + 200, two.bytesUsed());
            assertEquals(two.ringCapacity() - 304, two.bytesFree());

            for (int i = 3; pool.info().oldestSeq() == 1; i++) {
                pool.append(Draft.of(PoolTesting.sized(i, 1000)));
            }
            PoolInfo wrapped = pool.info();
            assertTrue(wrapped.oldestSeq() > 1);
            assertEquals(pool.get(wrapped.oldestSeq()).orElseThrow().timeNanos(), wrapped.oldestTimeNanos());
            assertEquals(pool.get(wrapped.newestSeq()).orElseThrow().timeNanos(), wrapped.newestTimeNanos());
            assertTrue(wrapped.bytesUsed() <= wrapped.ringCapacity());
            assertEquals(wrapped.ringCapacity(), wrapped.bytesUsed() + wrapped.bytesFree());
            assertConsistent(pool);
        }
    }

    @Test
    void createNeverOverwritesAndIdsDiffer() {
        Path file = dir.resolve("c.pool");
        String firstId;
        try (Pool pool = Pool.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            pool.append(Draft.of("{\"keep\":true}"));
            firstId = pool.id();
        }
        PoolException e = assertThrows(PoolException.class,
                () -> Pool.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE * 2)));
        assertEquals(ErrorKind.ALREADY_EXISTS, e.kind());
        assertEquals(file, e.path());
        try (Pool pool = Pool.open(file)) {
            assertEquals("{\"keep\":true}", pool.get(1).orElseThrow().dataString());
            assertEquals(PoolOptions.MIN_SIZE, pool.info().fileSize());
            assertEquals(firstId, pool.id());
        }
        try (Pool other = Pool.create(dir.resolve("d.pool"), PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            assertNotEquals(firstId, other.id());
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of("c.pool", "d.pool"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files left behind");
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void sizeLimits() {
        assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class, () -> Pool.create(dir.resolve("s.pool"),
                PoolOptions.ofSize(PoolOptions.MIN_SIZE - 1))).kind());
        assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class, () -> Pool.create(dir.resolve("s.pool"),
                PoolOptions.ofSize(PoolOptions.MAX_SIZE + 1))).kind());
        assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class, () -> Pool.create(dir.resolve("s.pool"),
                new PoolOptions(PoolOptions.MIN_SIZE, 4000))).kind(), "an index that leaves no room for a ring");
        assertFalse(Files.exists(dir.resolve("s.pool")));
        assertEquals(8L << 20, PoolOptions.parseSize("8M"));
        assertEquals(64L << 10, PoolOptions.parseSize("64KiB"));
        assertEquals(1L << 30, PoolOptions.parseSize("1G"));
        assertEquals(2L << 30, PoolOptions.parseSize("2g"));
        assertEquals(1L << 40, PoolOptions.parseSize("1T"));
        assertEquals(65536, PoolOptions.parseSize("65536"));
        for (String bad : new String[] {"0", "-1", "abc", "", "1P", "99999999999999999999G", "9999999999T"}) {
            assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class, () -> PoolOptions.parseSize(bad),
                    bad).kind());
        }
        try (Pool pool = Pool.create(dir.resolve("m.pool"), PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            assertEquals(PoolOptions.MIN_SIZE, pool.info().fileSize());
        }
    }

    @Test
    void directoryCreateOpenListDelete() {
        PoolDirectory pools = new PoolDirectory(dir.resolve("pools"));
        assertEquals(List.of(), pools.list(), "a missing directory lists nothing");
        try (Pool a = pools.create("alpha", PoolOptions.ofSize(PoolOptions.MIN_SIZE));
             Pool b = pools.openOrCreate("beta.v2", PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            a.append(Draft.of("{\"a\":1}"));
            b.append(Draft.of("{\"b\":1}"));
            assertEquals(ErrorKind.ALREADY_EXISTS, assertThrows(PoolException.class,
                    () -> pools.create("alpha", PoolOptions.ofSize(PoolOptions.MIN_SIZE))).kind());
            try (Pool again = pools.openOrCreate("alpha", PoolOptions.ofSize(PoolOptions.MIN_SIZE * 4))) {
                assertEquals(a.id(), again.id());
                assertEquals(PoolOptions.MIN_SIZE, again.info().fileSize());
            }
            assertEquals(List.of(dir.resolve("pools/alpha.pool").toAbsolutePath(),
                    dir.resolve("pools/beta.v2.pool").toAbsolutePath()), pools.list());
            assertEquals("alpha", PoolDirectory.nameOf(pools.pathOf("alpha")));

            pools.delete("alpha");
            assertFalse(Files.exists(pools.pathOf("alpha")));
            assertEquals(ErrorKind.NOT_FOUND, assertThrows(PoolException.class, () -> pools.delete("alpha")).kind());
            assertEquals(ErrorKind.NOT_FOUND, assertThrows(PoolException.class, () -> pools.open("alpha")).kind());
            // A handle opened before the delete keeps working on the unlinked file.
            assertEquals("{\"a\":1}", a.get(1).orElseThrow().dataString());
            assertEquals(2, a.append(Draft.of("{}")).seq());
            assertEquals(1, pools.list().size());
        }
        Path explicit = dir.resolve("elsewhere.pool");
        try (Pool p = pools.create(explicit.toString(), PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            assertEquals(explicit.toAbsolutePath(), p.path());
        }
        Pool closed = pools.open(explicit.toString());
        closed.close();
        assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class, () -> closed.get(1)).kind());
        assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class, () -> closed.append(Draft.of("{}"))).kind());
    }

    @Test
    void namesCannotEscapeTheDirectory() {
        PoolDirectory pools = new PoolDirectory(dir.resolve("pools"));
        String[] bad = {"..", "../x", "a..b", ".hidden", "-rf", "a\\b", "a\u0000b", "a\nb", "tab\there", "",
            "x".repeat(PoolDirectory.MAX_NAME_LENGTH + 1)};
        for (String name : bad) {
            PoolException e = assertThrows(PoolException.class, () -> PoolDirectory.checkName(name), name);
            assertEquals(ErrorKind.USAGE, e.kind());
            assertTrue(e.getMessage().startsWith("invalid pool name"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "control characters are escaped in the message");
        }
        for (String name : new String[] {"..", "a..b", ".hidden", "a\\b"}) {
            assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class,
                    () -> pools.create(name, PoolOptions.ofSize(PoolOptions.MIN_SIZE))).kind());
        }
        assertFalse(Files.exists(dir.resolve("pools")), "nothing was created");
        for (String good : new String[] {"syslog", "my-pool_1.v2", "Ünïcode", "x".repeat(200)}) {
            PoolDirectory.checkName(good);
            assertEquals(dir.resolve("pools").resolve(good + ".pool").toAbsolutePath(), pools.pathOf(good));
        }
        assertEquals(dir.resolve("x.pool").toAbsolutePath(), pools.pathOf(dir.resolve("pools/../x.pool").toString()),
                "a reference containing '/' is a path, chosen by the user");
        assertEquals(PoolDirectory.defaultDir(), Path.of(System.getProperty("user.home"), ".rockpool", "pools"));
        assertEquals(dir.resolve("given").toAbsolutePath(),
                PoolDirectory.resolve(dir.resolve("given").toString()).dir());
    }

    @Test
    void concurrentWriterThreadsGetDistinctSeqsInOrder() throws Exception {
        ExecutorService exec = Executors.newFixedThreadPool(4);
        try (Pool pool = Pool.create(dir.resolve("t.pool"), PoolOptions.ofSize(4L << 20))) {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                futures.add(exec.submit(() -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        seqs.add(pool.append(Draft.of("{\"w\":" + writer + ",\"i\":" + i + "}")).seq());
                    }
                    return seqs;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                List<Long> seqs = f.get(60, TimeUnit.SECONDS);
                for (int i = 1; i < seqs.size(); i++) {
                    assertTrue(seqs.get(i) > seqs.get(i - 1), "a thread's appends get increasing seqs");
                }
                all.addAll(seqs);
            }
            Collections.sort(all);
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i + 1, all.get(i));
            }
            int[] next = new int[4];
            Cursor c = pool.cursor(Start.earliest());
            for (Message m = c.next(); m != null; m = c.next()) {
                var node = JsonTrees.MAPPER.readTree(m.data());
                int w = node.get("w").asInt();
                assertEquals(next[w]++, node.get("i").asInt());
            }
            assertArrayEquals(new int[] {2000, 2000, 2000, 2000}, next);
            assertClean(pool);
        } finally {
            exec.shutdownNow();
        }
    }
}
