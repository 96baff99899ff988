package dev.rockpool.connect.source;

import dev.rockpool.connect.RockpoolHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.AppendResult;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import dev.rockpool.pool.testing.PoolFile;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task against real pools, with a fake context standing in for the worker's offset storage. */
class PoolSourceTaskTest {
    @TempDir
    Path dir;

    private final List<PoolSourceTask> tasks = new ArrayList<>();

    @AfterEach
    void stopTasks() {
        tasks.forEach(PoolSourceTask::stop);
    }

    private Map<String, String> props(String pools, String... more) {
        Map<String, String> p = new HashMap<>();
        p.put("pool.dir", dir.toString());
        p.put("pools", pools);
        p.put("poll.timeout.ms", "50");
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    private PoolSourceTask start(FakeTaskContext context) {
        PoolSourceTask task = new PoolSourceTask();
        task.initialize(context);
        task.start(context.configs());
        tasks.add(task);
        return task;
    }

    private PoolSourceTask start(Map<String, String> props) {
        return start(new FakeTaskContext(props));
    }

    private Pool create(String name, long size) {
        return Pool.create(dir.resolve(name + ".pool"), PoolOptions.ofSize(size));
    }

    private static List<AppendResult> append(Pool pool, int count, String... tags) {
        List<AppendResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(pool.append(Draft.of("{\"n\":" + i + ",\"host\":\"h" + (i % 2) + "\"}", tags)));
        }
        return results;
    }

    /** Polls until {@code count} records came (or fails after many empty polls). */
    private static List<SourceRecord> pollRecords(PoolSourceTask task, int count) {
        List<SourceRecord> all = new ArrayList<>();
        for (int empty = 0; all.size() < count && empty < 200; ) {
            List<SourceRecord> batch = task.poll();
            if (batch == null || batch.isEmpty()) {
                empty++;
            } else {
                all.addAll(batch);
            }
        }
        assertEquals(count, all.size(), "records polled");
        return all;
    }

    private static String header(SourceRecord r, String key) {
        Header h = r.headers().lastWithName(key);
        return h == null ? null : String.valueOf(h.value());
    }

    private static long seqOf(SourceRecord r) {
        return (Long) r.headers().lastWithName(RockpoolHeaders.SEQ).value();
    }

    @Test
    void headersCarryOnlyTheConfiguredOnes() throws Exception {
        try (Pool pool = create("h", PoolOptions.MIN_SIZE)) {
            append(pool, 2, "t");
            SourceRecord some = pollRecords(start(props("h", "headers", " seq , TAGS")), 2).get(1);
            assertEquals(List.of("rockpool.seq", "rockpool.tags"),
                    java.util.stream.StreamSupport.stream(some.headers().spliterator(), false)
                            .map(Header::key).toList());
            assertEquals(2L, seqOf(some));
            SourceRecord none = pollRecords(start(props("h", "headers", "")), 2).get(0);
            assertTrue(none.headers().isEmpty(), none.headers().toString());
            assertEquals(2L, none.sourceOffset().get("seq"), "offsets do not depend on headers");
        }
    }

    @Test
    void recordsCarryBytesKeyTimestampHeadersAndOffsets() throws Exception {
        try (Pool pool = create("p", PoolOptions.MIN_SIZE)) {
            List<AppendResult> appended = append(pool, 3, "a", "b\"q");
            PoolSourceTask task = start(props("p", "value.converter",
                    "org.apache.kafka.connect.converters.ByteArrayConverter", "key.jq", ".data.host", "topic",
                    "t-${pool}"));
            List<SourceRecord> records = pollRecords(task, 3);
            for (int i = 0; i < 3; i++) {
                SourceRecord r = records.get(i);
                assertEquals("t-p", r.topic());
                assertEquals(Schema.BYTES_SCHEMA, r.valueSchema());
                assertArrayEquals(("{\"n\":" + i + ",\"host\":\"h" + (i % 2) + "\"}").getBytes(StandardCharsets.UTF_8),
                        (byte[]) r.value());
                assertEquals("h" + (i % 2), r.key());
                assertEquals(appended.get(i).timeNanos() / 1_000_000L, r.timestamp());
                assertEquals("p", header(r, "rockpool.pool"));
                assertEquals(appended.get(i).seq(), seqOf(r));
                assertEquals(TimeFormat.format(appended.get(i).timeNanos()), header(r, "rockpool.time"));
                assertEquals("[\"a\",\"b\\\"q\"]", header(r, "rockpool.tags"));
                assertEquals(Map.of("pool", "p"), r.sourcePartition());
                assertEquals(Map.of("seq", appended.get(i).seq() + 1, "pool.id", pool.id()), r.sourceOffset());
            }
        }
    }

    @Test
    void valueFormatsFollowTheConverterOrTheSetting() throws Exception {
        try (Pool pool = create("v", PoolOptions.MIN_SIZE)) {
            pool.append(Draft.of("{\"a\":{\"b\":[1,2.5,\"x\",true,null]},\"big\":12345678901234}"));
            SourceRecord asMap = pollRecords(start(props("v")), 1).get(0);
            assertNull(asMap.valueSchema());
            assertEquals(Map.of("a", Map.of("b", java.util.Arrays.asList(1L, 2.5, "x", true, null)),
                    "big", 12345678901234L), asMap.value());
            SourceRecord asString = pollRecords(start(props("v", "value.converter",
                    "org.apache.kafka.connect.storage.StringConverter")), 1).get(0);
            assertEquals(Schema.STRING_SCHEMA, asString.valueSchema());
            assertEquals("{\"a\":{\"b\":[1,2.5,\"x\",true,null]},\"big\":12345678901234}", asString.value());
            SourceRecord forced = pollRecords(start(props("v", "value.format", "bytes")), 1).get(0);
            assertEquals(Schema.BYTES_SCHEMA, forced.valueSchema());
        }
    }

    /**
     * A frame forged with a recomputed checksum whose data is not a JSON object is not sent in any value format: the
     * task fails naming the pool, seq and file offset, after the messages before it were delivered.
     */
    @Test
    void aForgedFrameWhoseDataIsNotJsonFailsTheTaskNamingSeqAndOffset() throws Exception {
        try (Pool pool = create("f", PoolOptions.MIN_SIZE)) {
            append(pool, 3);
        }
        Path file = dir.resolve("f.pool");
        long at = PoolFile.frameOffsets(file).get(1);
        PoolFile.forgeByte(file, at, PoolFile.dataOffset(file, at) + 1, 0xFF);
        for (String format : List.of("bytes", "string", "map")) {
            PoolSourceTask task = start(props("f", "value.format", format, "batch.max.messages", "1"));
            assertEquals(1L, seqOf(task.poll().get(0)));
            ConnectException e = assertThrows(ConnectException.class, task::poll);
            assertTrue(e.getMessage().contains("Pool 'f' seq 2: Corrupt") && e.getMessage().contains("offset=" + at),
                    format + ": " + e.getMessage());
        }
    }

    @Test
    void nonTextualKeyIsJsonTextAndNullKeyIsNone() throws Exception {
        try (Pool pool = create("k", PoolOptions.MIN_SIZE)) {
            pool.append(Draft.of("{\"id\":{\"x\":1}}"));
            pool.append(Draft.of("{\"other\":1}"));
            List<SourceRecord> records = pollRecords(start(props("k", "key.jq", ".data.id")), 2);
            assertEquals("{\"x\":1}", records.get(0).key());
            assertNull(records.get(1).key());
            assertNull(records.get(1).keySchema());
        }
    }

    @Test
    void idlePollReturnsNullAndStopWakesALongPoll() throws Exception {
        try (Pool pool = create("idle", PoolOptions.MIN_SIZE)) {
            assertNotNull(pool.id());
            assertNull(start(props("idle")).poll());
            PoolSourceTask task = start(props("idle", "poll.timeout.ms", "60000"));
            CompletableFuture<List<SourceRecord>> poll = CompletableFuture.supplyAsync(task::poll);
            Thread.sleep(100);
            task.stop();
            // A poll that ignored stop() would take the full minute.
            assertNull(poll.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void resumesAtTheCommittedSeqAndRestartsARecreatedPoolAtEarliest() throws Exception {
        String oldId;
        try (Pool pool = create("r", PoolOptions.MIN_SIZE)) {
            append(pool, 10);
            oldId = pool.id();
            FakeTaskContext context = new FakeTaskContext(props("r"));
            context.offsets.put(Map.of("pool", "r"), new HashMap<>(Map.of("seq", 7L, "pool.id", oldId)));
            List<SourceRecord> records = pollRecords(start(context), 4);
            assertEquals(List.of(7L, 8L, 9L, 10L), records.stream().map(PoolSourceTaskTest::seqOf).toList());
            // An offset written by hand (no pool id, Integer seq as JSON gives it back) is trusted as it is.
            FakeTaskContext byHand = new FakeTaskContext(props("r"));
            byHand.offsets.put(Map.of("pool", "r"), new HashMap<>(Map.of("seq", 10)));
            assertEquals(10L, seqOf(pollRecords(start(byHand), 1).get(0)));
        }
        Files.delete(dir.resolve("r.pool"));
        try (Pool pool = create("r", PoolOptions.MIN_SIZE)) {
            append(pool, 3);
            FakeTaskContext context = new FakeTaskContext(props("r"));
            context.offsets.put(Map.of("pool", "r"), new HashMap<>(Map.of("seq", 7L, "pool.id", oldId)));
            List<SourceRecord> records = pollRecords(start(context), 3);
            assertEquals(List.of(1L, 2L, 3L), records.stream().map(PoolSourceTaskTest::seqOf).toList());
            assertEquals(pool.id(), records.get(0).sourceOffset().get("pool.id"));
        }
    }

    @Test
    void aRecreatedPoolIsNoticedWhileFollowing() throws Exception {
        PoolSourceTask task;
        try (Pool pool = create("re", PoolOptions.MIN_SIZE)) {
            append(pool, 2);
            task = start(props("re"));
            pollRecords(task, 2);
        }
        Files.delete(dir.resolve("re.pool"));
        try (Pool pool = create("re", PoolOptions.MIN_SIZE)) {
            append(pool, 1);
            List<SourceRecord> records = pollRecords(task, 1);
            assertEquals(1L, seqOf(records.get(0)));
            assertEquals(pool.id(), records.get(0).sourceOffset().get("pool.id"));
        }
    }

    /** The same pool (same id) under a new inode, as a move or a copy back into place leaves it: no restart. */
    @Test
    void theSamePoolMovedBackIntoPlaceGoesOnAtTheSameSeq() throws Exception {
        Path file = dir.resolve("moved.pool");
        try (Pool pool = create("moved", PoolOptions.MIN_SIZE)) {
            append(pool, 2);
        }
        PoolSourceTask task = start(props("moved"));
        pollRecords(task, 2);
        Path copy = dir.resolve("moved.copy");
        Files.copy(file, copy);
        Files.delete(file);
        Files.move(copy, file);
        try (Pool pool = Pool.open(file)) {
            append(pool, 1);
            List<SourceRecord> records = pollRecords(task, 1);
            assertEquals(3L, seqOf(records.get(0)), "neither the first two again nor a gap");
            assertEquals(pool.id(), records.get(0).sourceOffset().get("pool.id"));
        }
    }

    @Test
    void waitsForAMissingPool() throws Exception {
        PoolSourceTask task = start(props("later"));
        assertNull(task.poll());
        try (Pool pool = create("later", PoolOptions.MIN_SIZE)) {
            append(pool, 2);
            assertEquals(2, pollRecords(task, 2).size());
        }
    }

    @Test
    void filtersAndStopAtTime() throws Exception {
        try (Pool pool = create("f", PoolOptions.MIN_SIZE)) {
            List<AppendResult> appended = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                appended.add(pool.append(Draft.of("{\"n\":" + i + "}", i % 2 == 0 ? new String[] {"even"}
                        : new String[] {"odd"})));
            }
            String stop = TimeFormat.format(appended.get(8).timeNanos());
            PoolSourceTask task = start(props("f", "filter.tags", "even", "filter.where", ".data.n != 4",
                    "stop.at", "time:" + stop));
            List<SourceRecord> records = pollRecords(task, 4);
            assertEquals(List.of(1L, 3L, 7L, 9L), records.stream().map(PoolSourceTaskTest::seqOf).toList());
            // The offset of a record covers the filtered-out messages before it.
            assertEquals(8L, records.get(2).sourceOffset().get("seq"));
            pool.append(Draft.of("{\"n\":100}", "even"));
            assertNull(task.poll());
            assertTrue(task.follower("f").finished());
        }
    }

    @Test
    void heartbeatsCommitPastFilteredOutMessages() throws Exception {
        try (Pool pool = create("hb", PoolOptions.MIN_SIZE)) {
            pool.append(Draft.of("{\"n\":\"keep0\"}", "keep"));
            for (int i = 0; i < 20; i++) {
                pool.append(Draft.of("{\"n\":" + (10_000 + i) + "}", "drop"));
            }
            PoolSourceTask task = start(props("hb", "filter.tags", "keep", "heartbeat.topic", "rockpool-heartbeats",
                    "heartbeat.interval.ms", "1", "value.format", "string"));
            List<SourceRecord> records = pollRecords(task, 2);
            assertEquals("hb", records.get(0).topic());
            assertEquals(2L, records.get(0).sourceOffset().get("seq"));
            SourceRecord heartbeat = records.get(1);
            assertEquals("rockpool-heartbeats", heartbeat.topic());
            assertEquals("hb", heartbeat.key());
            assertEquals("{\"pool\":\"hb\",\"seq\":22}", heartbeat.value());
            assertEquals(Map.of("seq", 22L, "pool.id", pool.id()), heartbeat.sourceOffset());
            // Nothing read since: no further heartbeat, however often the interval passes.
            Thread.sleep(5);
            assertNull(task.poll());

            // While the task is down, the dropped messages 2..21 are overwritten (frames of one size: one out per
            // one in) but seq 22 is still there: a restart at the heartbeat's offset is no gap. Without the
            // heartbeat it would resume at seq 2 and fail (on.gap=fail).
            for (int i = 20; pool.info().oldestSeq() < 21; i++) {
                pool.append(Draft.of("{\"n\":" + (10_000 + i) + "}", "drop"));
            }
            pool.append(Draft.of("{\"n\":\"keep1\"}", "keep"));
            assertEquals(22, pool.info().oldestSeq());
            FakeTaskContext context = new FakeTaskContext(props("hb", "filter.tags", "keep", "on.gap", "fail"));
            context.offsets.put(Map.of("pool", "hb"), new HashMap<>(heartbeat.sourceOffset()));
            PoolSourceTask restarted = start(context);
            List<SourceRecord> after = pollRecords(restarted, 1);
            assertEquals(pool.info().newestSeq(), seqOf(after.get(0)));
            assertEquals(0, restarted.follower("hb").lostMessages().get());
        }
    }

    @Test
    void noHeartbeatsUnlessATopicIsSet() throws Exception {
        try (Pool pool = create("nohb", PoolOptions.MIN_SIZE)) {
            append(pool, 5, "drop");
            PoolSourceTask task = start(props("nohb", "filter.tags", "keep", "heartbeat.interval.ms", "1"));
            assertNull(task.poll());
            assertNull(task.poll());
        }
    }

    @Test
    void stopAtSeqEndsAPoolWhoseOffsetIsAlreadyPastIt() throws Exception {
        try (Pool pool = create("s", PoolOptions.MIN_SIZE)) {
            append(pool, 5);
            List<SourceRecord> records = pollRecords(start(props("s", "stop.at", "seq:3")), 3);
            assertEquals(3L, seqOf(records.get(2)));
            FakeTaskContext context = new FakeTaskContext(props("s", "stop.at", "seq:3"));
            context.offsets.put(Map.of("pool", "s"), new HashMap<>(Map.of("seq", 4L, "pool.id", pool.id())));
            PoolSourceTask task = start(context);
            assertNull(task.poll());
            assertTrue(task.follower("s").finished());
        }
    }

    @Test
    void gapsAreCountedOrFailTheTask() throws Exception {
        try (Pool pool = create("g", PoolOptions.MIN_SIZE)) {
            append(pool, 3);
            String id = pool.id();
            for (int i = 0; i < 3000; i++) {
                pool.append(Draft.of("{\"pad\":\"" + "x".repeat(100) + "\"}"));
            }
            long oldest = pool.info().oldestSeq();
            assertTrue(oldest > 4, "the pool wrapped");
            FakeTaskContext cont = new FakeTaskContext(props("g"));
            cont.offsets.put(Map.of("pool", "g"), new HashMap<>(Map.of("seq", 4L, "pool.id", id)));
            PoolSourceTask task = start(cont);
            SourceRecord first = task.poll().get(0);
            assertEquals(oldest, seqOf(first));
            assertEquals(oldest - 4, task.follower("g").lostMessages().get());
            assertEquals(1, task.follower("g").gaps().get());

            FakeTaskContext fail = new FakeTaskContext(props("g", "on.gap", "fail"));
            fail.offsets.put(Map.of("pool", "g"), new HashMap<>(Map.of("seq", 4L, "pool.id", id)));
            PoolSourceTask failing = start(fail);
            ConnectException e = assertThrows(ConnectException.class, failing::poll);
            assertTrue(e.getMessage().contains("first missing seq 4"), e.getMessage());
            assertTrue(e.getMessage().contains((oldest - 4) + " lost"), e.getMessage());
        }
    }

    @Test
    void anUnusableCommittedOffsetFailsTheStartWithTheReason() {
        FakeTaskContext context = new FakeTaskContext(props("u"));
        context.offsets.put(Map.of("pool", "u"), new HashMap<>(Map.of("seq", "7")));
        PoolSourceTask task = new PoolSourceTask();
        task.initialize(context);
        ConnectException e = assertThrows(ConnectException.class, () -> task.start(context.configs()));
        assertTrue(e.getMessage().contains("'seq' must be a whole number"), e.getMessage());
    }

    @Test
    void batchesAreBoundedAndPoolsTakeTurns() throws Exception {
        try (Pool a = create("ba", PoolOptions.MIN_SIZE); Pool b = create("bb", PoolOptions.MIN_SIZE)) {
            append(a, 10);
            append(b, 10);
            PoolSourceTask task = start(props("ba,bb", "batch.max.messages", "4"));
            List<SourceRecord> first = task.poll();
            List<SourceRecord> second = task.poll();
            assertEquals(4, first.size());
            assertEquals(4, second.size());
            assertTrue(!first.get(0).topic().equals(second.get(0).topic()), "the second poll starts at the other pool");
            JsonNode tags = JsonTrees.MAPPER.readTree(header(first.get(0), "rockpool.tags"));
            assertTrue(tags.isArray() && tags.isEmpty());
        }
    }
}
