package dev.rockpool.connect.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Origin;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolOptions;
import dev.rockpool.pool.Start;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConfigValueInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sink against a real Kafka broker and Connect worker ({@link EmbeddedConnectCluster}, one per class): each test
 * uses its own topics, connector and pools.
 */
class PoolSinkClusterTest {
    private static final long WAIT_MS = 60_000;
    private static final String STRING = "org.apache.kafka.connect.storage.StringConverter";
    private static final String JSON = "org.apache.kafka.connect.json.JsonConverter";
    private static final String BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";

    @TempDir
    static Path poolDir;
    private static EmbeddedConnectCluster connect;
    private static KafkaProducer<byte[], byte[]> producer;
    private static final List<Exception> SEND_ERRORS = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startCluster() {
        Properties broker = new Properties();
        broker.put("offsets.topic.num.partitions", "1");
        broker.put("group.initial.rebalance.delay.ms", "0");
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.discovery", "service_load");
        worker.put("listeners", "http://127.0.0.1:0");
        worker.put("offset.flush.interval.ms", "1000");
        connect = new EmbeddedConnectCluster.Builder().name("rockpool-sink").numWorkers(1).numBrokers(1)
                .brokerProps(broker).workerProps(worker).build();
        connect.start();
        // Not idempotent: an idempotent producer writing to a just-created topic can get stuck on
        // OutOfOrderSequenceException retries; one request in flight keeps the partition order instead.
        producer = connect.kafka().createProducer(Map.of("linger.ms", "5", "enable.idempotence", "false",
                "max.in.flight.requests.per.connection", "1", "acks", "all"));
    }

    @AfterAll
    static void stopCluster() {
        if (producer != null) {
            producer.close();
        }
        if (connect != null) {
            connect.stop();
        }
    }

    private static Map<String, String> sink(String topics, String pool, String valueConverter) {
        Map<String, String> props = new HashMap<>();
        props.put("name", topics);
        props.put("connector.class", PoolSinkConnector.class.getName());
        props.put("tasks.max", "1");
        props.put("topics", topics);
        props.put("pool.dir", poolDir.toString());
        props.put("pool", pool);
        props.put("key.converter", STRING);
        props.put("value.converter", valueConverter);
        return props;
    }

    private static void send(String topic, int partition, String value, String tagsHeader) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, null,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        if (tagsHeader != null) {
            record.headers().add(new RecordHeader("rockpool.tags", tagsHeader.getBytes(StandardCharsets.UTF_8)));
        }
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                SEND_ERRORS.add(error);
            }
        });
    }

    /** Sends everything and fails the test if any record could not be produced. */
    private static void flush() {
        producer.flush();
        assertEquals(List.of(), SEND_ERRORS, "produce errors");
    }

    private static List<Message> read(String pool) {
        List<Message> messages = new ArrayList<>();
        try (Pool p = new PoolDirectory(poolDir).open(pool); Cursor c = p.cursor(Start.earliest())) {
            for (Message m = c.next(); m != null; m = c.next()) {
                messages.add(m);
            }
        }
        return messages;
    }

    private static int count(String pool) {
        if (!poolDir.resolve(pool + ".pool").toFile().exists()) {
            return 0;
        }
        try (Pool p = new PoolDirectory(poolDir).open(pool)) {
            return (int) p.info().messageCount();
        }
    }

    private static void awaitCount(String pool, int expected) throws InterruptedException {
        TestUtils.waitForCondition(() -> count(pool) >= expected, WAIT_MS,
                () -> "pool " + pool + " has " + count(pool) + " messages, expected " + expected);
    }

    /**
     * A plugin metric of a pool, summed over the connector's tasks, as an operator reads it from the worker's JMX;
     * 0 while no task has handled a record for the pool.
     */
    private static long metric(String connector, String pool, String name) throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        long sum = 0;
        for (ObjectName n : jmx.queryNames(new ObjectName("kafka.connect:type=plugins,connector=" + connector
                + ",task=*,pool=" + pool), null)) {
            sum += ((Number) jmx.getAttribute(n, name)).longValue();
        }
        return sum;
    }

    private static JsonNode json(String text) throws Exception {
        return JsonTrees.MAPPER.readTree(text);
    }

    @Test
    void landsSchemalessJsonWithTagsAndOrigin() throws Exception {
        connect.kafka().createTopic("plain", 2);
        Map<String, String> props = sink("plain", "plain-pool", JSON);
        props.put("value.converter.schemas.enable", "false");
        props.put("tags", "edge,kafka");
        connect.configureConnector("plain", props);
        send("plain", 0, "{\"n\":1,\"nested\":{\"a\":[1,2,{\"b\":null}]}}", "[\"web\",\"error\"]");
        send("plain", 1, "{\"n\":2,\"s\":\"héllo\"}", "solo");
        send("plain", 0, "{\"n\":3}", null);
        flush();
        awaitCount("plain-pool", 3);

        Map<Integer, Message> byN = read("plain-pool").stream()
                .collect(Collectors.toMap(m -> data(m).get("n").asInt(), m -> m));
        assertEquals(3, byN.size());
        assertEquals(json("{\"n\":1,\"nested\":{\"a\":[1,2,{\"b\":null}]}}"), data(byN.get(1)));
        assertEquals(List.of("edge", "kafka", "web", "error"), byN.get(1).tags());
        assertEquals(new Origin("plain", 0, 0), byN.get(1).origin());
        // Schemaless JsonConverter hands over a HashMap: key order is the converter's, so compare trees.
        assertEquals(json("{\"n\":2,\"s\":\"héllo\"}"), data(byN.get(2)));
        assertEquals(List.of("edge", "kafka", "solo"), byN.get(2).tags());
        assertEquals(new Origin("plain", 1, 0), byN.get(2).origin());
        assertEquals(List.of("edge", "kafka"), byN.get(3).tags());
        assertEquals(new Origin("plain", 0, 1), byN.get(3).origin());
        connect.deleteConnector("plain");
    }

    private static JsonNode data(Message m) {
        return dev.rockpool.filter.Envelope.data(m);
    }

    @Test
    void landsStructsFromJsonWithSchemas() throws Exception {
        connect.kafka().createTopic("structs", 1);
        connect.configureConnector("structs", sink("structs", "structs-pool", JSON));
        long millis = 1_795_395_723_456L;
        String schema = "{\"type\":\"struct\",\"fields\":["
                + "{\"field\":\"id\",\"type\":\"int64\"},"
                + "{\"field\":\"name\",\"type\":\"string\"},"
                + "{\"field\":\"ok\",\"type\":\"boolean\"},"
                + "{\"field\":\"score\",\"type\":\"double\"},"
                + "{\"field\":\"inner\",\"type\":\"struct\",\"fields\":["
                + "  {\"field\":\"a\",\"type\":\"int32\"},"
                + "  {\"field\":\"list\",\"type\":\"array\",\"items\":{\"type\":\"string\"}}]},"
                + "{\"field\":\"counts\",\"type\":\"map\",\"keys\":{\"type\":\"string\"},"
                + "  \"values\":{\"type\":\"int32\"}},"
                + "{\"field\":\"blob\",\"type\":\"bytes\"},"
                + "{\"field\":\"price\",\"type\":\"bytes\",\"name\":\"org.apache.kafka.connect.data.Decimal\","
                + "  \"parameters\":{\"scale\":\"2\"}},"
                + "{\"field\":\"at\",\"type\":\"int64\",\"name\":\"org.apache.kafka.connect.data.Timestamp\"},"
                + "{\"field\":\"missing\",\"type\":\"string\",\"optional\":true}]}";
        // 12.34 at scale 2 is the unscaled 1234 = 0x04D2, base64 "BNI=" as JsonConverter writes decimals.
        String payload = "{\"id\":7,\"name\":\"x\",\"ok\":true,\"score\":1.5,"
                + "\"inner\":{\"a\":1,\"list\":[\"p\",\"q\"]},"
                + "\"counts\":{\"k\":3},\"blob\":\"AQID\",\"price\":\"BNI=\",\"at\":" + millis + ",\"missing\":null}";
        send("structs", 0, "{\"schema\":" + schema + ",\"payload\":" + payload + "}", null);
        flush();
        awaitCount("structs-pool", 1);

        Message m = read("structs-pool").get(0);
        // Struct fields keep their schema order.
        String expected = "{\"id\":7,\"name\":\"x\",\"ok\":true,\"score\":1.5,"
                + "\"inner\":{\"a\":1,\"list\":[\"p\",\"q\"]},\"counts\":{\"k\":3},\"blob\":\"AQID\",\"price\":12.34,"
                + "\"at\":\"" + TimeFormat.format(millis * 1_000_000L) + "\",\"missing\":null}";
        assertEquals(expected, m.dataString());
        assertEquals(new Origin("structs", 0, 0), m.origin());
        assertEquals(List.of(), m.tags());
        connect.deleteConnector("structs");
    }

    @Test
    void landsStringAndBytesValuesIntoOnePoolPerTopic() throws Exception {
        connect.kafka().createTopic("text", 1);
        connect.kafka().createTopic("raw", 1);
        connect.configureConnector("text", sink("text", "t-${topic}", STRING));
        connect.configureConnector("raw", sink("raw", "t-${topic}", BYTES));
        send("text", 0, "  {\"kind\": \"text\",  \"v\": [1, 2]}\n", null);
        send("raw", 0, "{\"kind\":\"raw\",\"v\":{}}", "[\"r\"]");
        flush();
        awaitCount("t-text", 1);
        awaitCount("t-raw", 1);
        Message text = read("t-text").get(0);
        assertEquals("{\"kind\":\"text\",\"v\":[1,2]}", text.dataString());
        assertEquals(new Origin("text", 0, 0), text.origin());
        Message raw = read("t-raw").get(0);
        assertEquals("{\"kind\":\"raw\",\"v\":{}}", raw.dataString());
        assertEquals(List.of("r"), raw.tags());
        connect.deleteConnector("text");
        connect.deleteConnector("raw");
    }

    @Test
    void filterSkipsRecordsAndTheirOffsetsCommit() throws Exception {
        connect.kafka().createTopic("levels", 1);
        Map<String, String> props = sink("levels", "levels-pool", STRING);
        props.put("filter.where", ".data.level == \"error\" and .meta.origin.topic == \"levels\"");
        connect.configureConnector("levels", props);
        send("levels", 0, "{\"level\":\"info\",\"i\":0}", null);
        send("levels", 0, "{\"level\":\"error\",\"i\":1}", null);
        send("levels", 0, "{\"level\":\"info\",\"i\":2}", null);
        send("levels", 0, "{\"level\":\"error\",\"i\":3}", null);
        send("levels", 0, "{\"level\":\"info\",\"i\":4}", null);
        flush();
        awaitCount("levels-pool", 2);
        TestUtils.waitForCondition(() -> committed("levels", new TopicPartition("levels", 0)) == 5, WAIT_MS,
                "the offsets of filtered records commit");
        List<Message> messages = read("levels-pool");
        assertEquals(List.of(1, 3), messages.stream().map(m -> data(m).get("i").asInt()).toList());
        assertEquals(2, messages.size());
        assertEquals(2, metric("levels", "levels-pool", SinkMetrics.LANDED));
        assertEquals(3, metric("levels", "levels-pool", SinkMetrics.FILTERED));
        assertEquals(0, metric("levels", "levels-pool", SinkMetrics.DEAD_LETTERED));
        assertEquals(0, metric("levels", "levels-pool", SinkMetrics.DUPLICATES));
        connect.deleteConnector("levels");
    }

    private static long committed(String connector, TopicPartition tp) {
        for (ConnectorOffset o : connect.connectorOffsets(connector).offsets()) {
            if (tp.topic().equals(o.partition().get("kafka_topic"))
                    && Integer.valueOf(tp.partition()).equals(o.partition().get("kafka_partition"))) {
                return ((Number) o.offset().get("kafka_offset")).longValue();
            }
        }
        return -1;
    }

    @Test
    void badRecordsGoToTheDeadLetterQueueAndGoodOnesToThePool() throws Exception {
        connect.kafka().createTopic("mixed", 1);
        Map<String, String> props = sink("mixed", "mixed-pool", STRING);
        props.put("pool.size", "64K");
        props.put("errors.tolerance", "all");
        props.put("errors.deadletterqueue.topic.name", "mixed-dlq");
        props.put("errors.deadletterqueue.topic.replication.factor", "1");
        props.put("errors.deadletterqueue.context.headers.enable", "true");
        connect.configureConnector("mixed", props);
        String tooLarge = "{\"big\":\"" + "x".repeat(70_000) + "\"}";
        List<String> values = new ArrayList<>(List.of("{\"good\":0}", "[1,2]", "42", "not json", "{\"good\":1}"));
        values.add(null);
        values.add(tooLarge);
        values.add("{\"good\":2}");
        for (String v : values) {
            send("mixed", 0, v, null);
        }
        flush();
        awaitCount("mixed-pool", 3);
        ConsumerRecords<byte[], byte[]> dlq = connect.kafka().consume(5, WAIT_MS, "mixed-dlq");
        List<String> dead = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            dead.add(r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
            assertNotNull(r.headers().lastHeader("__connect.errors.exception.message"));
        }
        assertEquals(5, dead.size());
        assertEquals(java.util.Arrays.asList("[1,2]", "42", "not json", null, tooLarge), dead);
        TestUtils.waitForCondition(() -> committed("mixed", new TopicPartition("mixed", 0)) == values.size(),
                WAIT_MS, "every offset commits");
        List<Message> messages = read("mixed-pool");
        assertEquals(List.of("{\"good\":0}", "{\"good\":1}", "{\"good\":2}"),
                messages.stream().map(Message::dataString).toList());
        assertEquals(List.of(0L, 4L, 7L), messages.stream().map(m -> m.origin().offset()).toList());
        assertEquals("RUNNING", connect.connectorStatus("mixed").tasks().get(0).state());
        assertEquals(3, metric("mixed", "mixed-pool", SinkMetrics.LANDED));
        assertEquals(5, metric("mixed", "mixed-pool", SinkMetrics.DEAD_LETTERED));
        assertEquals(0, metric("mixed", "mixed-pool", SinkMetrics.FILTERED));
        connect.deleteConnector("mixed");
    }

    @Test
    void badRecordWithoutToleranceFailsTheTaskNamingIt() throws Exception {
        connect.kafka().createTopic("strict", 1);
        connect.configureConnector("strict", sink("strict", "strict-pool", STRING));
        send("strict", 0, "{\"ok\":0}", null);
        send("strict", 0, "[\"not\",\"an\",\"object\"]", null);
        send("strict", 0, "{\"ok\":2}", null);
        flush();
        connect.assertions().assertConnectorIsRunningAndTasksHaveFailed("strict", 1, "the task fails");
        ConnectorStateInfo.TaskState task = connect.connectorStatus("strict").tasks().get(0);
        assertTrue(task.trace().contains("Bad record at topic strict partition 0 offset 1"), task.trace());
        assertTrue(task.trace().contains("data must be a JSON object, got an array"), task.trace());
        assertEquals(List.of("{\"ok\":0}"), read("strict-pool").stream().map(Message::dataString).toList());
        connect.deleteConnector("strict");
    }

    /**
     * The crash case: the consumer resumes behind what the pool already holds (here by rewinding the committed
     * offsets of a stopped connector, which is what a worker killed between two commits leaves behind). Every
     * record must still be in the pool exactly once, in partition order.
     */
    @Test
    void restartBehindThePoolWritesEveryRecordExactlyOnce() throws Exception {
        int partitions = 3;
        int total = 100_000;
        connect.kafka().createTopic("crash", partitions);
        Map<String, String> props = sink("crash", "crash-pool", BYTES);
        props.put("tasks.max", "2");
        connect.configureConnector("crash", props);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("crash", 2, "the sink runs");
        for (int i = 0; i < total; i++) {
            send("crash", i % partitions, "{\"p\":" + (i % partitions) + ",\"i\":" + (i / partitions) + "}", null);
        }
        flush();
        awaitCount("crash-pool", total / 3);
        connect.stopConnector("crash");
        connect.assertions().assertConnectorIsStopped("crash", "the sink stops");
        int landed = count("crash-pool");
        assertTrue(landed < total, "stopped before the end: " + landed);
        // Rewind: partition 0 to the start, partition 1 to a third of what it has, partition 2 stays.
        connect.alterSinkConnectorOffset("crash", new TopicPartition("crash", 0), 0L);
        long p1 = committed("crash", new TopicPartition("crash", 1));
        connect.alterSinkConnectorOffset("crash", new TopicPartition("crash", 1), p1 / 3);
        connect.resumeConnector("crash");
        awaitCount("crash-pool", total);
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition("crash", p);
            long end = connect.kafka().endOffset(tp);
            TestUtils.waitForCondition(() -> committed("crash", tp) == end, WAIT_MS,
                    () -> tp + " commits up to " + end + ", now " + committed("crash", tp));
        }
        // The tasks after the resume landed exactly what the pool lacked, and skipped records it held.
        assertEquals(total - landed, metric("crash", "crash-pool", SinkMetrics.LANDED));
        long skipped = metric("crash", "crash-pool", SinkMetrics.DUPLICATES);
        assertTrue(skipped > 0 && skipped <= landed, "duplicates skipped: " + skipped);
        List<Message> messages = read("crash-pool");
        assertEquals(total, messages.size());
        int[] next = new int[partitions];
        for (Message m : messages) {
            JsonNode data = data(m);
            int p = data.get("p").asInt();
            assertEquals(next[p], data.get("i").asInt(), "partition " + p + " in order, once each");
            assertEquals(new Origin("crash", p, next[p]), m.origin());
            next[p]++;
        }
        connect.deleteConnector("crash");
    }

    /**
     * A real crash: a separate worker JVM runs the sink and is killed with SIGKILL in the middle of the topic, long
     * before its first offset commit; a new worker JVM of the same Connect cluster takes over. Every record must be
     * in the pool exactly once, in partition order.
     */
    @Test
    void workerKilledMidTopicLosesAndDuplicatesNothing(@TempDir Path workDir) throws Exception {
        int partitions = 3;
        int total = 100_000;
        connect.kafka().createTopic("killed", partitions);
        for (int i = 0; i < total / 2; i++) {
            send("killed", i % partitions, "{\"p\":" + (i % partitions) + ",\"i\":" + (i / partitions) + "}", null);
        }
        flush();
        Process first = null;
        Process second = null;
        try {
            ChildWorker a = new ChildWorker(workDir, "a", 600_000);
            first = a.start();
            Map<String, String> props = sink("killed", "killed-pool", BYTES);
            props.put("tasks.max", "2");
            a.putConnector("killed", props);
            awaitCount("killed-pool", total / 8);
            first.destroyForcibly().waitFor();
            int landed = count("killed-pool");
            long committedBefore = committedSum("killed", partitions);
            assertTrue(committedBefore < landed, "the kill left written but uncommitted records: committed "
                    + committedBefore + ", landed " + landed);
            for (int i = total / 2; i < total; i++) {
                send("killed", i % partitions, "{\"p\":" + (i % partitions) + ",\"i\":" + (i / partitions) + "}",
                        null);
            }
            flush();
            second = new ChildWorker(workDir, "b", 1_000).start();
            awaitCount("killed-pool", total);
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition("killed", p);
                long end = connect.kafka().endOffset(tp);
                TestUtils.waitForCondition(() -> committedOffsets("killed").getOrDefault(tp, -1L) == end, WAIT_MS,
                        () -> tp + " commits up to " + end);
            }
        } finally {
            if (first != null) {
                first.destroyForcibly().waitFor();
            }
            if (second != null) {
                second.destroyForcibly().waitFor();
            }
        }
        List<Message> messages = read("killed-pool");
        assertEquals(total, messages.size());
        int[] next = new int[partitions];
        for (Message m : messages) {
            JsonNode data = data(m);
            int p = data.get("p").asInt();
            assertEquals(next[p], data.get("i").asInt(), "partition " + p + " in order, once each");
            assertEquals(new Origin("killed", p, next[p]), m.origin());
            next[p]++;
        }
    }

    /** Offsets committed by the consumer group of a sink connector, read with the admin client. */
    private static Map<TopicPartition, Long> committedOffsets(String connector) throws Exception {
        try (Admin admin = connect.kafka().createAdminClient()) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets("connect-" + connector).partitionsToOffsetAndMetadata().get()
                    .forEach((tp, om) -> offsets.put(tp, om == null ? -1L : om.offset()));
            return offsets;
        }
    }

    private static long committedSum(String connector, int partitions) throws Exception {
        Map<TopicPartition, Long> offsets = committedOffsets(connector);
        long sum = 0;
        for (int p = 0; p < partitions; p++) {
            sum += Math.max(0, offsets.getOrDefault(new TopicPartition(connector, p), 0L));
        }
        return sum;
    }

    /** A Connect worker in its own JVM, joining one distributed cluster ("rockpool-kill") on the embedded broker. */
    private static final class ChildWorker {
        private final Path dir;
        private final String id;
        private final long flushMs;
        private int port;

        ChildWorker(Path dir, String id, long flushMs) {
            this.dir = dir;
            this.id = id;
            this.flushMs = flushMs;
        }

        Process start() throws Exception {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Properties p = new Properties();
            p.put("bootstrap.servers", connect.kafka().bootstrapServers());
            p.put("group.id", "rockpool-kill");
            p.put("config.storage.topic", "kill-configs");
            p.put("offset.storage.topic", "kill-offsets");
            p.put("status.storage.topic", "kill-status");
            p.put("config.storage.replication.factor", "1");
            p.put("offset.storage.replication.factor", "1");
            p.put("status.storage.replication.factor", "1");
            p.put("offset.storage.partitions", "1");
            p.put("status.storage.partitions", "1");
            p.put("key.converter", STRING);
            p.put("value.converter", BYTES);
            p.put("plugin.discovery", "service_load");
            p.put("listeners", "http://127.0.0.1:" + port);
            p.put("offset.flush.interval.ms", Long.toString(flushMs));
            // A dead worker and its consumer leave the groups quickly, and its work is reassigned at once.
            p.put("session.timeout.ms", "6000");
            p.put("heartbeat.interval.ms", "1000");
            p.put("scheduled.rebalance.max.delay.ms", "0");
            p.put("consumer.session.timeout.ms", "6000");
            p.put("consumer.heartbeat.interval.ms", "1000");
            Path file = dir.resolve("worker-" + id + ".properties");
            try (java.io.Writer w = Files.newBufferedWriter(file)) {
                p.store(w, null);
            }
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
            Process process = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", classpath,
                    "org.apache.kafka.connect.cli.ConnectDistributed", file.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("worker-" + id + ".log").toFile()).start();
            HttpClient http = HttpClient.newHttpClient();
            TestUtils.waitForCondition(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("worker " + id + " exited: see " + dir.resolve("worker-" + id + ".log"));
                }
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(url("/health"))).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (java.io.IOException e) {
                    return false;
                }
            }, 120_000, "worker " + id + " ready");
            return process;
        }

        void putConnector(String name, Map<String, String> config) throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url("/connectors/" + name + "/config")))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(JsonTrees.MAPPER.writeValueAsString(config)))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() / 100 == 2, response.statusCode() + " " + response.body());
        }

        private String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }
    }

    /** pool A -> PoolSourceConnector -> topic -> PoolSinkConnector -> pool B: data and tags arrive unchanged. */
    @Test
    void roundTripThroughTheSourceConnectorKeepsDataAndTags() throws Exception {
        List<Draft> drafts = List.of(
                Draft.of("{\"msg\":\"disk full\",\"host\":\"a\",\"n\":1.5e3,\"z\":null}", "syslog", "host-a"),
                Draft.of("{\"nested\":{\"list\":[1,\"two\",{\"three\":true}]},\"uni\":\"h\u00e9llo \u2603\"}"),
                Draft.of("{\"b\":2,\"a\":1}", "with space", "[brackets]", "\"quoted\"", "back\\slash", "é ☃"));
        try (Pool a = new PoolDirectory(poolDir).create("rt-a", PoolOptions.ofSize(1 << 20))) {
            a.appendBatch(drafts, Durability.FAST);
        }
        connect.kafka().createTopic("rt", 1);
        Map<String, String> source = new HashMap<>();
        source.put("connector.class", "dev.rockpool.connect.source.PoolSourceConnector");
        source.put("tasks.max", "1");
        source.put("pool.dir", poolDir.toString());
        source.put("pools", "rt-a");
        source.put("topic", "rt");
        source.put("value.converter", BYTES);
        connect.configureConnector("rt-source", source);
        connect.configureConnector("rt", sink("rt", "rt-b", BYTES));
        awaitCount("rt-b", drafts.size());

        List<Message> landed = read("rt-b");
        assertEquals(drafts.size(), landed.size());
        for (int i = 0; i < drafts.size(); i++) {
            assertEquals(drafts.get(i).data().toString(), landed.get(i).dataString());
            assertEquals(drafts.get(i).tags(), landed.get(i).tags());
            assertEquals(new Origin("rt", 0, i), landed.get(i).origin());
        }
        connect.deleteConnector("rt-source");
        connect.deleteConnector("rt");
    }

    @Test
    void readOnlyPoolFailsTheTaskNamingThePath() throws Exception {
        try (Pool p = new PoolDirectory(poolDir).create("locked", PoolOptions.ofSize(1 << 16))) {
            p.append(Draft.of("{\"keep\":true}"));
        }
        Path file = poolDir.resolve("locked.pool");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        connect.kafka().createTopic("locked", 1);
        Map<String, String> props = sink("locked", "locked", STRING);
        props.put("pool.create", "false");
        connect.configureConnector("locked", props);
        send("locked", 0, "{\"n\":1}", null);
        flush();
        connect.assertions().assertConnectorIsRunningAndTasksHaveFailed("locked", 1, "the task fails");
        String trace = connect.connectorStatus("locked").tasks().get(0).trace();
        assertTrue(trace.contains("Cannot write to pool 'locked' at " + file), trace);
        assertTrue(trace.contains("Permission"), trace);
        assertEquals(1, count("locked"));
        connect.deleteConnector("locked");
    }

    @Test
    void validationReportsBadValuesPerField() {
        Map<String, String> props = sink("v", "bad/../${nope}", STRING);
        props.put("filter.where", ".data.level ==");
        props.put("pool.size", "12Q");
        props.put("durability", "sometimes");
        props.put("tags", "a,,b");
        ConfigInfos infos = connect.validateConnectorConfig(PoolSinkConnector.class.getSimpleName(), props);
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigInfo info : infos.configs()) {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        assertEquals(java.util.Set.of("pool", "filter.where", "pool.size", "durability", "tags"), errors.keySet(),
                errors.toString());
        assertTrue(errors.get("pool").get(0).contains("${topic}"), errors.toString());
        assertTrue(errors.get("filter.where").get(0).contains(".data.level =="), errors.toString());
        assertTrue(errors.get("pool.size").get(0).contains("12Q"), errors.toString());
        assertEquals(5, infos.errorCount());

        Map<String, String> name = sink("v", "..${topic}", STRING);
        ConfigInfos nameInfos = connect.validateConnectorConfig(PoolSinkConnector.class.getSimpleName(), name);
        assertEquals(1, nameInfos.errorCount());

        ConfigInfos good = connect.validateConnectorConfig(PoolSinkConnector.class.getSimpleName(),
                sink("v", "p-${topic}", STRING));
        assertEquals(0, good.errorCount(), good.toString());
        assertNull(connect.connectors().stream().filter("v"::equals).findAny().orElse(null));
    }

    /** {@code PUT /connector-plugins/PoolSinkConnector/config/validate} offers ${topic} and the pool files. */
    @Test
    void validationRecommendsThePoolFilesAndTheDurabilities() throws Exception {
        PoolDirectory dir = new PoolDirectory(poolDir.resolve("recommend"));
        dir.create("orders", PoolOptions.ofSize(PoolOptions.MIN_SIZE)).close();
        dir.create("audit", PoolOptions.ofSize(PoolOptions.MIN_SIZE)).close();
        Files.writeString(dir.dir().resolve("readme.txt"), "not a pool");
        Map<String, String> props = sink("v", "${topic}", STRING);
        props.put("pool.dir", dir.dir().toString());
        ConfigInfos infos = connect.validateConnectorConfig(PoolSinkConnector.class.getSimpleName(), props);
        assertEquals(0, infos.errorCount(), infos.toString());
        Map<String, List<String>> recommended = infos.configs().stream().map(ConfigInfo::configValue)
                .collect(Collectors.toMap(ConfigValueInfo::name, ConfigValueInfo::recommendedValues));
        assertEquals(List.of("${topic}", "audit", "orders"), recommended.get(PoolSinkConfig.POOL_CONFIG));
        assertEquals(List.of("fast", "flush"), recommended.get(PoolSinkConfig.DURABILITY_CONFIG));
    }
}
