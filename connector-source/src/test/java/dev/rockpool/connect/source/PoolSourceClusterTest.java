package dev.rockpool.connect.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.AppendResult;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConfigValueInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connector in a real distributed worker with exactly-once source support, against a real broker (Kafka's
 * EmbeddedConnectCluster). One cluster for the whole class; each test uses its own pools, topics and connectors.
 */
class PoolSourceClusterTest {
    private static final String BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";
    private static final String STRINGS = "org.apache.kafka.connect.storage.StringConverter";
    private static final long WAIT_MS = 60_000;

    @TempDir
    static Path poolDir;

    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startCluster() {
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.discovery", "service_load");
        worker.put("listeners", "http://127.0.0.1:0");
        worker.put("exactly.once.source.support", "enabled");
        worker.put("offset.flush.interval.ms", "1000");
        Properties broker = new Properties();
        broker.put("offsets.topic.num.partitions", "1");
        broker.put("offsets.topic.replication.factor", "1");
        broker.put("group.initial.rebalance.delay.ms", "0");
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        broker.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        connect = new EmbeddedConnectCluster.Builder().name("rockpool-source").numWorkers(1).numBrokers(1)
                .workerProps(worker).brokerProps(broker).build();
        connect.start();
    }

    @AfterAll
    static void stopCluster() {
        if (connect != null) {
            connect.stop();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Pool createPool(String name, long size) {
        return Pool.create(poolDir.resolve(name + ".pool"), PoolOptions.ofSize(size));
    }

    private static Map<String, String> connectorConfig(String pools, String... kv) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", PoolSourceConnector.class.getName());
        c.put("tasks.max", "1");
        c.put("pool.dir", poolDir.toString());
        c.put("pools", pools);
        c.put("poll.timeout.ms", "200");
        c.put("value.converter", BYTES);
        c.put("key.converter", STRINGS);
        for (int i = 0; i < kv.length; i += 2) {
            c.put(kv[i], kv[i + 1]);
        }
        return c;
    }

    private static void startConnector(String name, int tasks, Map<String, String> config) throws Exception {
        connect.configureConnector(name, config);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, tasks, "connector " + name);
    }

    /**
     * Everything committed on the topic's partition 0, waiting until there are at least {@code atLeast} records; with
     * {@code settleMs} it keeps reading that much longer so extra records (duplicates) would show.
     */
    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int atLeast, long settleMs)
            throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumer(props)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + WAIT_MS;
            while (records.size() < atLeast && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            long settle = System.currentTimeMillis() + settleMs;
            while (System.currentTimeMillis() < settle) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertTrue(records.size() >= atLeast, topic + ": " + records.size() + " records, expected " + atLeast);
        return records;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long seq(ConsumerRecord<byte[], byte[]> r) {
        return Long.parseLong(header(r, "rockpool.seq"));
    }

    private static List<Long> seqs(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(PoolSourceClusterTest::seq).collect(Collectors.toList());
    }

    private static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            list.add(s);
        }
        return list;
    }

    private static void stopAndWait(String name) throws Exception {
        connect.stopConnector(name);
        connect.assertions().assertConnectorIsStopped(name, "connector " + name + " stopped");
    }

    private static void resumeAndWait(String name, int tasks) throws Exception {
        connect.resumeConnector(name);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, tasks, "connector " + name);
    }

    /** The plugin metrics of a pool of the connector's (only) task, as an operator reads them from the worker's JMX. */
    private static ObjectName poolMetrics(String connector, String pool) throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = jmx.queryNames(new ObjectName("kafka.connect:type=plugins,connector=" + connector
                + ",task=0,pool=" + pool), null);
        assertEquals(1, names.size(), "plugin metrics of pool " + pool + ": " + names);
        return names.iterator().next();
    }

    private static double metric(String connector, String pool, String name) throws Exception {
        return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(poolMetrics(connector, pool), name))
                .doubleValue();
    }

    private static void awaitMetric(String connector, String pool, String name, double expected) throws Exception {
        TestUtils.waitForCondition(() -> metric(connector, pool, name) == expected, WAIT_MS,
                () -> name + " of " + pool + " is " + metricOrError(connector, pool, name) + ", expected " + expected);
    }

    private static String metricOrError(String connector, String pool, String name) {
        try {
            return String.valueOf(metric(connector, pool, name));
        } catch (Exception e) {
            return e.toString();
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void severalPoolsOverTwoTasksWithValuesKeysTimestampsAndHeaders() throws Exception {
        Map<String, List<AppendResult>> appended = new HashMap<>();
        for (String name : List.of("mp1", "mp2", "mp3")) {
            connect.kafka().createTopic("mp-" + name, 1);
            try (Pool pool = createPool(name, PoolOptions.MIN_SIZE * 4)) {
                List<AppendResult> results = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    results.add(pool.append(Draft.of("{\"pool\":\"" + name + "\",\"i\":" + i + ",\"host\":\"h" + (i % 3)
                            + "\",\"x\":1.50}", "t-" + name, "all")));
                }
                appended.put(name, results);
            }
        }
        connect.kafka().createTopic("mpjson-mp1", 1);
        startConnector("multi", 2, connectorConfig("mp1,mp2,mp3", "tasks.max", "2", "topic", "mp-${pool}",
                "key.jq", ".data.host"));
        startConnector("multi-json", 1, connectorConfig("mp1", "topic", "mpjson-${pool}",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "false"));
        for (String name : List.of("mp1", "mp2", "mp3")) {
            List<ConsumerRecord<byte[], byte[]>> records = read("mp-" + name, 20, 0);
            assertEquals(range(1, 20), seqs(records), name);
            for (int i = 0; i < 20; i++) {
                ConsumerRecord<byte[], byte[]> r = records.get(i);
                // ByteArrayConverter: the stored compact JSON, byte for byte (1.50 stays 1.50).
                assertArrayEquals(("{\"pool\":\"" + name + "\",\"i\":" + i + ",\"host\":\"h" + (i % 3)
                        + "\",\"x\":1.50}").getBytes(StandardCharsets.UTF_8), r.value());
                assertEquals("h" + (i % 3), new String(r.key(), StandardCharsets.UTF_8));
                long timeNanos = appended.get(name).get(i).timeNanos();
                assertEquals(timeNanos / 1_000_000L, r.timestamp());
                assertEquals(name, header(r, "rockpool.pool"));
                assertEquals(TimeFormat.format(timeNanos), header(r, "rockpool.time"));
                assertEquals("[\"t-" + name + "\",\"all\"]", header(r, "rockpool.tags"));
            }
        }
        List<ConsumerRecord<byte[], byte[]>> json = read("mpjson-mp1", 20, 0);
        for (int i = 0; i < 20; i++) {
            JsonNode value = JsonTrees.MAPPER.readTree(json.get(i).value());
            assertEquals(JsonTrees.MAPPER.readTree("{\"pool\":\"mp1\",\"i\":" + i + ",\"host\":\"h" + (i % 3)
                    + "\",\"x\":1.5}"), value);
            assertEquals(null, json.get(i).key());
        }
        connect.deleteConnector("multi");
        connect.deleteConnector("multi-json");
    }

    @Test
    void exactlyOnceAcrossConnectorStopAndWorkerRestartWhileFeeding() throws Exception {
        int total = 4000;
        connect.kafka().createTopic("eos", 1);
        try (Pool pool = createPool("eos", PoolOptions.DEFAULT_SIZE)) {
            for (int i = 0; i < 500; i++) {
                pool.append(Draft.of("{\"i\":" + i + "}"));
            }
            startConnector("eos", 1, connectorConfig("eos", "batch.max.messages", "100"));
            CompletableFuture<Void> feeder = CompletableFuture.runAsync(() -> {
                for (int i = 500; i < total; i++) {
                    pool.append(Draft.of("{\"i\":" + i + "}"));
                    if (i % 20 == 0) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            });
            read("eos", 600, 0);
            stopAndWait("eos");
            resumeAndWait("eos", 1);
            connect.restartConnectorAndTasks("eos", false, true, false);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("eos", 1, "eos after restart");
            connect.removeWorker();
            connect.addWorker();
            connect.assertions().assertAtLeastNumWorkersAreUp(1, "worker back");
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("eos", 1, "eos on the new worker");
            feeder.get(WAIT_MS, TimeUnit.MILLISECONDS);
            List<ConsumerRecord<byte[], byte[]>> records = read("eos", total, 3000);
            assertEquals(range(1, total), seqs(records), "every message once, in seq order");
            for (int i = 0; i < total; i++) {
                assertEquals("{\"i\":" + i + "}", new String(records.get(i).value(), StandardCharsets.UTF_8));
            }
        }
        connect.deleteConnector("eos");
    }

    @Test
    void startFromLatestSeqAndTime() throws Exception {
        List<AppendResult> timed = new ArrayList<>();
        for (String name : List.of("sfl", "sfs", "sft")) {
            connect.kafka().createTopic(name, 1);
            try (Pool pool = createPool(name, PoolOptions.MIN_SIZE)) {
                for (int i = 0; i < 10; i++) {
                    AppendResult r = pool.append(Draft.of("{\"i\":" + i + "}"));
                    if (name.equals("sft")) {
                        timed.add(r);
                    }
                    Thread.sleep(2);
                }
            }
        }
        startConnector("sfs", 1, connectorConfig("sfs", "start.from", "seq:5"));
        startConnector("sft", 1, connectorConfig("sft", "start.from",
                "time:" + TimeFormat.format(timed.get(6).timeNanos())));
        startConnector("sfl", 1, connectorConfig("sfl", "start.from", "latest"));
        assertEquals(range(5, 10), seqs(read("sfs", 6, 0)));
        assertEquals(range(7, 10), seqs(read("sft", 4, 0)));
        // latest: whatever the task finds appended after it opened the pool, never the 10 old messages.
        try (Pool pool = Pool.open(poolDir.resolve("sfl.pool"))) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            TestUtils.waitForCondition(() -> {
                pool.append(Draft.of("{\"late\":true}"));
                records.clear();
                records.addAll(readNow("sfl"));
                return !records.isEmpty();
            }, WAIT_MS, "a message appended after start reaches the topic");
            long first = seq(records.get(0));
            assertTrue(first > 10, "latest skipped the old messages, first seq " + first);
            long newest = pool.info().newestSeq();
            assertEquals(range(first, newest), seqs(read("sfl", (int) (newest - first + 1), 0)));
        }
        for (String name : List.of("sfl", "sfs", "sft")) {
            connect.deleteConnector(name);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readNow(String topic) {
        try {
            return read(topic, 0, 300);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void tagAndJqFiltersKeyJqAndStopAtSeq() throws Exception {
        connect.kafka().createTopic("flt", 1);
        try (Pool pool = createPool("flt", PoolOptions.MIN_SIZE)) {
            for (int n = 0; n < 20; n++) {
                pool.append(Draft.of("{\"n\":" + n + "}", n % 2 == 0 ? "even" : "odd"));
            }
            startConnector("flt", 1, connectorConfig("flt", "filter.tags", "even", "filter.where",
                    ".data.n % 4 == 0", "key.jq", "{n: .data.n}", "stop.at", "seq:15"));
            List<ConsumerRecord<byte[], byte[]>> records = read("flt", 4, 1500);
            // n = 0, 4, 8, 12 are seqs 1, 5, 9, 13; n = 16 (seq 17) is past stop.at.
            assertEquals(List.of(1L, 5L, 9L, 13L), seqs(records));
            assertEquals("{\"n\":12}", new String(records.get(3).key(), StandardCharsets.UTF_8));
            pool.append(Draft.of("{\"n\":100}", "even"));
            assertEquals(4, read("flt", 4, 1500).size(), "nothing after stop.at");
            TestUtils.waitForCondition(() -> Map.of("seq", 14L).get("seq").equals(
                    ((Number) connect.connectorOffsets("flt").offsets().get(0).offset().get("seq")).longValue()),
                    WAIT_MS, "the committed offset is the seq after the last record");
        }
        connect.deleteConnector("flt");
    }

    @Test
    void heartbeatsCommitPastFilteredOutMessages() throws Exception {
        connect.kafka().createTopic("hbt", 1);
        connect.kafka().createTopic("hbt-beats", 1);
        try (Pool pool = createPool("hbt", PoolOptions.MIN_SIZE)) {
            pool.append(Draft.of("{\"n\":0}", "keep"));
            for (int n = 1; n <= 50; n++) {
                pool.append(Draft.of("{\"n\":" + n + "}", "drop"));
            }
            startConnector("hbt", 1, connectorConfig("hbt", "filter.tags", "keep", "heartbeat.topic", "hbt-beats",
                    "heartbeat.interval.ms", "100"));
            assertEquals(List.of(1L), seqs(read("hbt", 1, 1500)));
            ConsumerRecord<byte[], byte[]> beat = read("hbt-beats", 1, 1500).get(0);
            assertEquals("hbt", new String(beat.key(), StandardCharsets.UTF_8));
            assertEquals("{\"pool\":\"hbt\",\"seq\":52}", new String(beat.value(), StandardCharsets.UTF_8));
            TestUtils.waitForCondition(() -> 52L == ((Number) connect.connectorOffsets("hbt").offsets().get(0)
                    .offset().get("seq")).longValue(), WAIT_MS, "the heartbeat's offset (past the filtered-out "
                    + "messages) is committed");
        }
        connect.deleteConnector("hbt");
    }

    @Test
    void gapsAreCountedWithContinueAndFailTheTaskWithFail() throws Exception {
        String[] pools = {"gapc", "gapf"};
        Map<String, String> ids = new HashMap<>();
        for (String name : pools) {
            connect.kafka().createTopic(name, 1);
            try (Pool pool = createPool(name, PoolOptions.MIN_SIZE)) {
                for (int i = 0; i < 5; i++) {
                    pool.append(Draft.of("{\"i\":" + i + "}"));
                }
                ids.put(name, pool.id());
            }
        }
        startConnector("gapc", 1, connectorConfig("gapc"));
        startConnector("gapf", 1, connectorConfig("gapf", "on.gap", "fail"));
        read("gapc", 5, 0);
        read("gapf", 5, 0);
        stopAndWait("gapc");
        stopAndWait("gapf");
        Map<String, Long> oldest = new HashMap<>();
        for (String name : pools) {
            try (Pool pool = Pool.open(poolDir.resolve(name + ".pool"))) {
                for (int i = 0; i < 2000; i++) {
                    pool.append(Draft.of("{\"pad\":\"" + "x".repeat(100) + "\"}"));
                }
                oldest.put(name, pool.info().oldestSeq());
                assertTrue(oldest.get(name) > 6, "the ring wrapped");
            }
        }
        resumeAndWait("gapc", 1);
        long firstC = oldest.get("gapc");
        List<ConsumerRecord<byte[], byte[]>> records = read("gapc", (int) (5 + 2005 - firstC + 1), 0);
        assertEquals(firstC, seq(records.get(5)), "continues with the oldest message still there");
        assertEquals(range(firstC, 2005), seqs(records.subList(5, records.size())));
        assertEquals(firstC - 6, metric("gapc", "gapc", SourceMetrics.LOST));
        assertEquals(1.0, metric("gapc", "gapc", SourceMetrics.GAPS));

        connect.resumeConnector("gapf");
        connect.assertions().assertConnectorIsRunningAndTasksHaveFailed("gapf", 1, "gap fails the task");
        ConnectorStateInfo status = connect.connectorStatus("gapf");
        String trace = status.tasks().get(0).trace();
        assertNotNull(trace);
        assertTrue(trace.contains("first missing seq 6"), trace);
        assertTrue(trace.contains(" lost, oldest now "), trace);
        connect.deleteConnector("gapc");
        connect.deleteConnector("gapf");
    }

    @Test
    void offsetsAlteredThroughTheRestApiMoveTheConnector() throws Exception {
        connect.kafka().createTopic("alt", 1);
        try (Pool pool = createPool("alt", PoolOptions.MIN_SIZE)) {
            for (int i = 0; i < 30; i++) {
                pool.append(Draft.of("{\"i\":" + i + "}"));
            }
        }
        startConnector("alt", 1, connectorConfig("alt"));
        read("alt", 30, 0);
        stopAndWait("alt");
        String bad = "{\"offsets\":[{\"partition\":{\"pool\":\"other\"},\"offset\":{\"seq\":3}}]}";
        // Connect answers 500 for offsets a connector's alterOffsets refuses (only the runtime's own checks are 400s).
        var response = connect.requestPatch(connect.endpointForResource("connectors/alt/offsets"), bad);
        assertEquals(500, response.getStatus());
        assertTrue(String.valueOf(response.getEntity()).contains("not among the connector's pools"));
        String badSeq = "{\"offsets\":[{\"partition\":{\"pool\":\"alt\"},\"offset\":{\"seq\":-2}}]}";
        var seqResponse = connect.requestPatch(connect.endpointForResource("connectors/alt/offsets"), badSeq);
        assertEquals(500, seqResponse.getStatus());
        assertTrue(String.valueOf(seqResponse.getEntity()).contains("must be >= 1"));
        connect.alterSourceConnectorOffset("alt", Map.of("pool", "alt"), Map.of("seq", 10));
        resumeAndWait("alt", 1);
        List<ConsumerRecord<byte[], byte[]>> records = read("alt", 30 + 21, 1500);
        assertEquals(range(10, 30), seqs(records.subList(30, records.size())));
        connect.deleteConnector("alt");
    }

    @Test
    void aMissingPoolIsWaitedFor() throws Exception {
        connect.kafka().createTopic("late", 1);
        startConnector("late", 1, connectorConfig("late"));
        try (Pool pool = createPool("late", PoolOptions.MIN_SIZE)) {
            for (int i = 0; i < 3; i++) {
                pool.append(Draft.of("{\"i\":" + i + "}"));
            }
        }
        assertEquals(range(1, 3), seqs(read("late", 3, 0)));
        connect.deleteConnector("late");
    }

    @Test
    void badConfigsAreReportedByValidationPerKey() {
        Map<String, String> config = connectorConfig("x", "filter.where", "select(", "start.from", "seq:zero",
                "stop.at", "at noon", "pool.dir", poolDir.resolve("no-such-dir").toString(), "key.jq", ".data |||");
        config.remove("pools");
        config.put("name", "bad");
        ConfigInfos infos = connect.validateConnectorConfig(PoolSourceConnector.class.getSimpleName(), config);
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigInfo info : infos.configs()) {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        assertEquals(Set.of("pools", "filter.where", "start.from", "stop.at", "pool.dir", "key.jq"), errors.keySet(),
                errors.toString());
        assertEquals(6, infos.errorCount());
        assertTrue(errors.get("pool.dir").get(0).contains("does not exist"), errors.toString());
        assertTrue(errors.get("filter.where").get(0).contains("invalid jq expression"), errors.toString());
    }

    /**
     * A writer far faster than the task: read from the worker's JMX while it writes, the backlog gauges show the task
     * behind (messages, time, headroom spent) and consistent with each other; once the task has caught up they are
     * back at zero and at the whole ring.
     */
    @Test
    void backlogMetricsWhileTheSourceLagsBehindAFastWriter() throws Exception {
        int total = 200_000;
        connect.kafka().createTopic("lag", 1);
        try (Pool pool = createPool("lag", PoolOptions.DEFAULT_SIZE)) {
            double ring = pool.info().ringCapacity();
            pool.append(Draft.of("{\"i\":0}"));
            startConnector("lag", 1, connectorConfig("lag"));
            read("lag", 1, 0);
            awaitMetric("lag", "lag", SourceMetrics.MESSAGES_BEHIND, 0);
            assertEquals(0.0, metric("lag", "lag", SourceMetrics.TIME_BEHIND));
            assertEquals(ring, metric("lag", "lag", SourceMetrics.HEADROOM_BYTES));
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                List<Draft> batch = new ArrayList<>();
                for (int i = 1; i < total; i++) {
                    batch.add(Draft.of("{\"i\":" + i + ",\"msg\":\"" + "x".repeat(80) + "\"}"));
                    if (batch.size() == 1000 || i == total - 1) {
                        pool.appendBatch(batch, Durability.FAST);
                        batch.clear();
                    }
                }
            });
            double maxBehind = 0;
            double maxTimeBehind = 0;
            double minHeadroom = ring;
            while (!writer.isDone() || metric("lag", "lag", SourceMetrics.MESSAGES_BEHIND) > 0) {
                double behind = metric("lag", "lag", SourceMetrics.MESSAGES_BEHIND);
                double headroom = metric("lag", "lag", SourceMetrics.HEADROOM_BYTES);
                double headroomMessages = metric("lag", "lag", SourceMetrics.HEADROOM_MESSAGES);
                assertTrue(behind >= 0 && behind < total, "messages behind " + behind);
                assertTrue(headroom >= 0 && headroom <= ring, "headroom " + headroom);
                assertTrue(headroomMessages <= headroom / 40, headroomMessages + " messages in " + headroom + " bytes");
                maxBehind = Math.max(maxBehind, behind);
                maxTimeBehind = Math.max(maxTimeBehind, metric("lag", "lag", SourceMetrics.TIME_BEHIND));
                minHeadroom = Math.min(minHeadroom, headroom);
                Thread.sleep(5);
            }
            writer.get();
            assertTrue(maxBehind > 1000, "the task was behind: at most " + maxBehind + " messages");
            assertTrue(maxTimeBehind > 0, "the task was behind in time");
            assertTrue(minHeadroom < ring - 1000 * 40, "unread messages took ring space: headroom " + minHeadroom);
            assertEquals(total, read("lag", total, 0).size());
            assertEquals(0.0, metric("lag", "lag", SourceMetrics.TIME_BEHIND));
            assertEquals(ring, metric("lag", "lag", SourceMetrics.HEADROOM_BYTES));
            assertEquals(0.0, metric("lag", "lag", SourceMetrics.LOST));
        }
        connect.deleteConnector("lag");
    }

    /**
     * A paused task reads nothing while a writer fills the pool: the backlog is exact, the headroom falls toward 0
     * (the alarm before the gap), reaches 0 when unread messages are overwritten, and after the resume the task meets
     * the gap and counts exactly those messages as lost.
     */
    @Test
    void headroomFallsTowardZeroBeforeTheGapThatIsThenCounted() throws Exception {
        String data = "{\"p\":\"" + "x".repeat(149) + "\"}";
        int frame = 192; // header 32 + meta 3 (no tags) + 157 data bytes, a multiple of the 8-byte alignment
        connect.kafka().createTopic("hr", 1);
        try (Pool pool = createPool("hr", PoolOptions.MIN_SIZE)) {
            long ring = pool.info().ringCapacity();
            pool.append(Draft.of(data));
            startConnector("hr", 1, connectorConfig("hr"));
            read("hr", 1, 0);
            awaitMetric("hr", "hr", SourceMetrics.MESSAGES_BEHIND, 0);
            connect.pauseConnector("hr");
            connect.assertions().assertConnectorAndExactlyNumTasksArePaused("hr", 1, "hr paused");
            AppendResult firstUnread = pool.append(Draft.of(data));
            for (int i = 1; i < 100; i++) {
                pool.append(Draft.of(data));
            }
            assertEquals(100.0, metric("hr", "hr", SourceMetrics.MESSAGES_BEHIND));
            assertEquals(ring - 100.0 * frame, metric("hr", "hr", SourceMetrics.HEADROOM_BYTES));
            assertEquals((ring - 100 * frame) / frame, (long) metric("hr", "hr", SourceMetrics.HEADROOM_MESSAGES));
            long firstMillis = firstUnread.timeNanos() / 1_000_000L;
            long before = System.currentTimeMillis();
            double timeBehind = metric("hr", "hr", SourceMetrics.TIME_BEHIND);
            long after = System.currentTimeMillis();
            assertTrue(timeBehind >= before - firstMillis && timeBehind <= after - firstMillis,
                    timeBehind + " ms behind " + firstMillis + ", read between " + before + " and " + after);

            while (metric("hr", "hr", SourceMetrics.HEADROOM_BYTES) >= 2 * frame) {
                pool.append(Draft.of(data));
            }
            assertTrue(metric("hr", "hr", SourceMetrics.HEADROOM_MESSAGES) <= 1, "about to overwrite");
            assertTrue(pool.info().oldestSeq() <= firstUnread.seq(), "nothing unread overwritten yet");
            for (int i = 0; i < 3; i++) {
                pool.append(Draft.of(data));
            }
            long oldest = pool.info().oldestSeq();
            assertTrue(oldest > firstUnread.seq(), "unread messages overwritten");
            assertEquals(0.0, metric("hr", "hr", SourceMetrics.HEADROOM_BYTES));
            assertEquals(0.0, metric("hr", "hr", SourceMetrics.HEADROOM_MESSAGES));
            assertEquals(pool.info().nextSeq() - firstUnread.seq(), metric("hr", "hr", SourceMetrics.MESSAGES_BEHIND));
            assertEquals(0.0, metric("hr", "hr", SourceMetrics.GAPS));

            connect.resumeConnector("hr");
            awaitMetric("hr", "hr", SourceMetrics.GAPS, 1);
            assertEquals(oldest - firstUnread.seq(), metric("hr", "hr", SourceMetrics.LOST));
            awaitMetric("hr", "hr", SourceMetrics.MESSAGES_BEHIND, 0);
            assertEquals((double) ring, metric("hr", "hr", SourceMetrics.HEADROOM_BYTES));
            long newest = pool.info().newestSeq();
            List<Long> sent = seqs(read("hr", (int) (1 + newest - oldest + 1), 0));
            List<Long> expected = new ArrayList<>(List.of(1L));
            expected.addAll(range(oldest, newest));
            assertEquals(expected, sent);
        }
        connect.deleteConnector("hr");
    }

    /** {@code PUT /connector-plugins/PoolSourceConnector/config/validate} lists the pool files and fixed choices. */
    @Test
    void validationRecommendsThePoolFilesAndTheFixedChoices() throws Exception {
        Path dir = Files.createDirectories(poolDir.resolve("recommend"));
        for (String name : List.of("beta", "alpha")) {
            Pool.create(dir.resolve(name + ".pool"), PoolOptions.ofSize(PoolOptions.MIN_SIZE)).close();
        }
        Files.writeString(dir.resolve("notes.txt"), "not a pool");
        Files.writeString(dir.resolve(".hidden.pool"), "no pool name names this");
        Map<String, String> config = connectorConfig("alpha", "pool.dir", dir.toString());
        config.put("name", "recommend");
        ConfigInfos infos = connect.validateConnectorConfig(PoolSourceConnector.class.getSimpleName(), config);
        assertEquals(0, infos.errorCount(), infos.toString());
        Map<String, List<String>> recommended = infos.configs().stream().map(ConfigInfo::configValue)
                .collect(Collectors.toMap(ConfigValueInfo::name, ConfigValueInfo::recommendedValues));
        assertEquals(List.of("alpha", "beta"), recommended.get(PoolSourceConfig.POOLS_CONFIG));
        assertEquals(List.of("continue", "fail"), recommended.get(PoolSourceConfig.ON_GAP_CONFIG));
        assertEquals(List.of("auto", "bytes", "string", "map"), recommended.get(PoolSourceConfig.VALUE_FORMAT_CONFIG));
        assertEquals(List.of("pool", "seq", "time", "tags"), recommended.get(PoolSourceConfig.HEADERS_CONFIG));
        assertEquals(List.of("earliest", "latest"), recommended.get(PoolSourceConfig.START_FROM_CONFIG));
        assertEquals(List.of(), recommended.get(PoolSourceConfig.STOP_AT_CONFIG));
    }
}
