package dev.rockpool.connect.sink;

import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Origin;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolOptions;
import dev.rockpool.pool.Start;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task alone, with a recording context: recovery from origins, bad records, unwritable pools. */
class PoolSinkTaskTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;
    private final FakeContext context = new FakeContext();
    private final PoolSinkTask task = new PoolSinkTask();

    @BeforeEach
    void init() {
        task.initialize(context);
    }

    @AfterEach
    void stop() {
        task.stop();
    }

    private Map<String, String> props(String... kv) {
        Map<String, String> props = new HashMap<>();
        props.put("topics", "t");
        props.put("pool.dir", dir.toString());
        props.put("pool", "p");
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        return props;
    }

    private static SinkRecord record(int partition, long offset, Object value) {
        return new SinkRecord("t", partition, null, null, null, value, offset, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, new ConnectHeaders());
    }

    private static List<SinkRecord> records(long from, long to) {
        List<SinkRecord> list = new ArrayList<>();
        for (long o = from; o < to; o++) {
            list.add(record(0, o, "{\"o\":" + o + "}"));
        }
        return list;
    }

    private List<Message> read(String pool) {
        List<Message> messages = new ArrayList<>();
        try (Pool p = new PoolDirectory(dir).open(pool); Cursor c = p.cursor(Start.earliest())) {
            for (Message m = c.next(); m != null; m = c.next()) {
                messages.add(m);
            }
        }
        return messages;
    }

    private List<Long> offsets(String pool) {
        return read(pool).stream().map(m -> m.origin().offset()).toList();
    }

    private void prefill(String pool, String topic, int partition, long from, long to) {
        try (Pool p = new PoolDirectory(dir).openOrCreate(pool, PoolOptions.ofSize(1 << 20))) {
            for (long o = from; o < to; o++) {
                p.append(new Draft(List.of(), new Origin(topic, partition, o), JsonData.parse("{\"o\":" + o + "}")));
            }
        }
    }

    @Test
    void skipsWhatThePoolAlreadyHoldsAndWritesTheRest() {
        prefill("p", "t", 0, 0, 10);
        task.start(props());
        task.open(List.of(TP));
        task.put(records(5, 15));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L), offsets("p"));
        assertTrue(context.seeks.isEmpty(), "the batch went past the pool: no seek");
        assertEquals(Map.of(TP, new OffsetAndMetadata(15)), task.preCommit(Map.of(TP, new OffsetAndMetadata(15))));
    }

    /** Documented limit: once the ring dropped every message of a partition, its origins are gone with them. */
    @Test
    void originsOverwrittenByTheRingFallBackToTheConsumerPosition() {
        try (Pool p = new PoolDirectory(dir).create("small", PoolOptions.ofSize(64 * 1024))) {
            for (long o = 0; o < 10; o++) {
                p.append(new Draft(List.of(), new Origin("t", 0, o), JsonData.parse("{\"o\":" + o + "}")));
            }
            for (long o = 0; o < 3000; o++) {
                p.append(new Draft(List.of(), new Origin("other", 0, o), JsonData.parse("{\"filler\":" + o + "}")));
            }
            assertTrue(p.info().oldestSeq() > 10, "the ring wrapped past t-0");
        }
        task.start(props("pool", "small"));
        task.open(List.of(TP));
        task.put(records(8, 12));
        List<Long> tp0 = read("small").stream().filter(m -> m.origin().topic().equals("t"))
                .map(m -> m.origin().offset()).toList();
        assertEquals(List.of(8L, 9L, 10L, 11L), tp0);
        assertTrue(context.seeks.isEmpty());
    }

    @Test
    void seeksForwardWhenAWholeBatchIsAlreadyInThePool() {
        prefill("p", "t", 0, 0, 10);
        task.start(props());
        task.open(List.of(TP));
        task.put(records(0, 4));
        assertEquals(Map.of(TP, 10L), context.seeks);
        assertEquals(10, read("p").size());
        task.put(records(10, 12));
        assertEquals(12, read("p").size());
    }

    @Test
    void recoversPerPartitionAndTopicInOneSharedPool() {
        prefill("shared", "t", 0, 0, 5);
        prefill("shared", "t", 1, 0, 3);
        prefill("shared", "u", 0, 0, 7);
        task.start(props("pool", "shared", "topics", "t,u"));
        TopicPartition t1 = new TopicPartition("t", 1);
        TopicPartition u0 = new TopicPartition("u", 0);
        task.open(List.of(TP, t1, u0));
        List<SinkRecord> batch = new ArrayList<>();
        for (long o = 0; o < 6; o++) {
            batch.add(record(0, o, "{}"));
            batch.add(record(1, o, "{}"));
            batch.add(new SinkRecord("u", 0, null, null, null, "{}", o));
        }
        task.put(batch);
        List<Message> messages = read("shared");
        assertEquals(5 + 3 + 7 + 1 + 3, messages.size());
        assertEquals(List.of(new Origin("t", 1, 3), new Origin("t", 1, 4), new Origin("t", 0, 5),
                        new Origin("t", 1, 5)),
                messages.subList(15, 19).stream().map(Message::origin).toList());
        assertEquals(Map.of(u0, 7L), context.seeks, "u-0 was entirely in the pool: skip ahead");
    }

    @Test
    void keepsRecoveredStateAcrossARebalanceOfAnotherTask() {
        task.start(props());
        task.open(List.of(TP));
        task.put(records(0, 3));
        task.close(List.of(TP));
        // Another task owned the partition meanwhile and wrote more to the same pool.
        prefill("p", "t", 0, 3, 6);
        task.open(List.of(TP));
        task.put(records(3, 8));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), offsets("p"));
    }

    @Test
    void badRecordWithoutToleranceFailsAfterWritingTheGoodOnesBeforeIt() {
        task.start(props());
        task.open(List.of(TP));
        List<SinkRecord> batch = new ArrayList<>(records(0, 2));
        batch.add(record(0, 2, "[1]"));
        batch.add(record(0, 3, "{\"o\":3}"));
        DataException e = assertThrows(DataException.class, () -> task.put(batch));
        assertEquals("Bad record at topic t partition 0 offset 2: data must be a JSON object, got an array",
                e.getMessage());
        assertEquals(List.of(0L, 1L), offsets("p"));
        assertEquals(Map.of(TP, new OffsetAndMetadata(2)), task.preCommit(Map.of(TP, new OffsetAndMetadata(2))));
    }

    @Test
    void commitNeverPassesABadRecordFoundWhileWriting() {
        task.start(props("pool.size", "64K", "filter.where", ".data.skip != true"));
        task.open(List.of(TP));
        List<SinkRecord> batch = new ArrayList<>(records(0, 1));
        batch.add(record(0, 1, "{\"big\":\"" + "x".repeat(70_000) + "\"}"));
        batch.add(record(0, 2, "{\"skip\":true}"));
        batch.add(record(0, 3, "{\"o\":3}"));
        DataException e = assertThrows(DataException.class, () -> task.put(batch));
        assertTrue(e.getMessage().startsWith("Bad record at topic t partition 0 offset 1: message too large"),
                e.getMessage());
        assertEquals(List.of(0L), offsets("p"));
        assertEquals(Map.of(TP, new OffsetAndMetadata(1)), task.preCommit(Map.of(TP, new OffsetAndMetadata(4))));
    }

    @Test
    void tooLargeRecordInTheMiddleOfABatchIsReportedAndTheOthersGoInOnceInOrder() {
        task.start(props("pool.size", "64K", "errors.tolerance", "all"));
        task.open(List.of(TP));
        List<SinkRecord> batch = new ArrayList<>(records(0, 3));
        batch.add(record(0, 3, "{\"big\":\"" + "x".repeat(70_000) + "\"}"));
        batch.addAll(records(4, 6));
        batch.add(record(0, 6, null));
        batch.add(record(0, 7, 42));
        task.put(batch);
        assertEquals(List.of(0L, 1L, 2L, 4L, 5L), offsets("p"));
        assertEquals(List.of(3L, 6L, 7L), context.reported.stream().map(SinkRecord::kafkaOffset).toList());
        assertTrue(context.errors.get(0).getMessage().contains("message too large"), context.errors.toString());
        assertTrue(context.errors.get(1).getMessage().contains("tombstone"), context.errors.toString());
        assertEquals(Map.of(TP, new OffsetAndMetadata(8)), task.preCommit(Map.of(TP, new OffsetAndMetadata(8))));
    }

    @Test
    void filterSeesTheEnvelopeWithTagsAndOrigin() {
        task.start(props("tags", "a,b", "filter.where",
                ".meta.tags == [\"a\",\"b\",\"h\"] and .meta.origin.offset % 2 == 0 and .time != null"
                        + " and .data.o > 1"));
        task.open(List.of(TP));
        List<SinkRecord> batch = new ArrayList<>();
        for (long o = 0; o < 6; o++) {
            SinkRecord r = record(0, o, "{\"o\":" + o + "}");
            r.headers().addString("rockpool.tags", "[\"h\"]");
            batch.add(r);
        }
        task.put(batch);
        assertEquals(List.of(2L, 4L), offsets("p"));
        assertEquals(List.of("a", "b", "h"), read("p").get(0).tags());
        assertEquals(Map.of(TP, new OffsetAndMetadata(6)), task.preCommit(Map.of(TP, new OffsetAndMetadata(6))));
    }

    @Test
    void flushDurabilityWritesAndCommitsTheSame() {
        task.start(props("durability", "flush"));
        task.open(List.of(TP));
        task.put(records(0, 3));
        assertEquals(List.of(0L, 1L, 2L), offsets("p"));
        assertEquals(Map.of(TP, new OffsetAndMetadata(3)), task.preCommit(Map.of(TP, new OffsetAndMetadata(3))));
    }

    @Test
    void poolPerTopicFollowsTheRecordTopic() {
        task.start(props("pool", "in-${topic}", "topics", "t,u"));
        task.open(List.of(TP, new TopicPartition("u", 0)));
        task.put(List.of(record(0, 0, "{\"x\":1}"), new SinkRecord("u", 0, null, null, null, "{\"y\":2}", 0)));
        assertEquals("{\"x\":1}", read("in-t").get(0).dataString());
        assertEquals("{\"y\":2}", read("in-u").get(0).dataString());
    }

    @Test
    void aPoolDeletedUnderTheTaskIsCreatedAgain() throws Exception {
        task.start(props());
        task.open(List.of(TP));
        task.put(records(0, 2));
        new PoolDirectory(dir).delete("p");
        task.put(records(2, 4));
        assertEquals(List.of(2L, 3L), offsets("p"));
    }

    @Test
    void missingPoolWithCreateOffFailsClearly() {
        task.start(props("pool.create", "false"));
        task.open(List.of(TP));
        ConnectException e = assertThrows(ConnectException.class, () -> task.put(records(0, 1)));
        assertTrue(e.getMessage().contains(dir.resolve("p.pool").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("NotFound"), e.getMessage());
        assertTrue(e.getMessage().contains("pool.create=false"), e.getMessage());
    }

    @Test
    void readOnlyPoolFailsClearly() throws Exception {
        prefill("p", "t", 0, 0, 1);
        Path file = dir.resolve("p.pool");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        task.start(props());
        ConnectException e = assertThrows(ConnectException.class, () -> task.open(List.of(TP)));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("Permission"), e.getMessage());
        try (Pool pool = Pool.open(file)) {
            assertTrue(e.getMessage().contains(pool.readOnlyReason()), "the engine's reason: " + e.getMessage());
        }
    }

    @Test
    void alterOffsetsValidatesAndAcceptsWhatTheOriginsMakeSafe() {
        PoolSinkConnector connector = new PoolSinkConnector();
        Map<TopicPartition, Long> reset = new HashMap<>();
        reset.put(TP, null);
        reset.put(new TopicPartition("t", 1), 0L);
        assertTrue(connector.alterOffsets(props(), reset), "a reset lands nothing twice: the pool knows its origins");
        assertTrue(connector.alterOffsets(props(), Map.of(TP, 1234L)));
        ConnectException negative = assertThrows(ConnectException.class,
                () -> connector.alterOffsets(props(), Map.of(TP, -1L)));
        assertTrue(negative.getMessage().contains(">= 0"), negative.getMessage());
        assertThrows(ConnectException.class,
                () -> connector.alterOffsets(props(), Map.of(new TopicPartition("t", -1), 0L)));
        assertThrows(org.apache.kafka.common.config.ConfigException.class,
                () -> connector.alterOffsets(props("durability", "sometimes"), Map.of(TP, 0L)));
    }

    @Test
    void corruptPoolFailsClearly() throws Exception {
        Path file = dir.resolve("p.pool");
        Files.write(file, new byte[100_000]);
        task.start(props());
        ConnectException e = assertThrows(ConnectException.class, () -> task.open(List.of(TP)));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("Corrupt"), e.getMessage());
    }

    /** Records seeks and reported records. */
    private static final class FakeContext implements SinkTaskContext {
        final Map<TopicPartition, Long> seeks = new HashMap<>();
        final List<SinkRecord> reported = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
            seeks.putAll(offsets);
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
            seeks.put(tp, offset);
        }

        @Override
        public void timeout(long timeoutMs) {
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of();
        }

        @Override
        public void pause(TopicPartition... partitions) {
        }

        @Override
        public void resume(TopicPartition... partitions) {
        }

        @Override
        public void requestCommit() {
        }

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            return (record, error) -> {
                reported.add(record);
                errors.add(error);
                Future<Void> done = CompletableFuture.completedFuture(null);
                return done;
            };
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
