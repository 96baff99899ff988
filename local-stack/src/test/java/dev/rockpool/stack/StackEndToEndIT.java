package dev.rockpool.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.Start;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product as a user runs it: {@code bin/rockpool-stack up} starts a real KRaft broker and a real distributed
 * Connect worker (separate JVMs) that loads the packaged plugin by service loading; {@code bin/rockpool feed} fills a
 * pool; the example connectors from config-examples/ are deployed over REST; a Kafka consumer checks the topics and the
 * engine checks the mirror pool; a SIGKILLed worker is restarted by the next {@code up} and resumes exactly once.
 * One stack per class (a boot is ~10-20 s); the tests run in order and build on each other's data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackEndToEndIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String POOL = "e2e-events";
    private static final String MIRROR = "e2e-mirror";
    private static final String INTAKE_TOPIC = "logs." + POOL;
    private static final String EOS_TOPIC = POOL;
    private static final String SOURCE_CLASS = "dev.rockpool.connect.source.PoolSourceConnector";
    private static final String SINK_CLASS = "dev.rockpool.connect.sink.PoolSinkConnector";

    @TempDir
    static Path temp;
    private static Scripts.Stack stack;
    private static ConnectRest rest;
    private static Path pools;

    @BeforeAll
    static void up() throws Exception {
        pools = Files.createDirectories(temp.resolve("pools"));
        stack = Scripts.Stack.onFreePorts(temp.resolve("stack"));
        rest = new ConnectRest(stack.restUrl());
        // The broker and worker outlive this JVM by design (nohup): if the run is interrupted, still stop them.
        Scripts.Stack started = stack;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.run("down"), "stack-down"));
        // Two ups at once, as two terminals or a script and a user might: one starts the stack, the other waits for
        // it and finds it running; never two brokers on one state directory.
        CompletableFuture<Scripts.Result> first = CompletableFuture.supplyAsync(() -> stack.run("up"));
        CompletableFuture<Scripts.Result> second = CompletableFuture.supplyAsync(() -> stack.run("up"));
        List<Scripts.Result> ups = List.of(first.get(), second.get());
        for (Scripts.Result up : ups) {
            assertEquals(0, up.exitCode(), () -> up.describe() + "\n--- connect.log\n" + stack.logTail("connect"));
            assertTrue(up.stdout().contains(stack.restUrl()) && up.stdout().contains("127.0.0.1:" + stack.kafkaPort),
                    "up says where things are: " + up.describe());
        }
        assertEquals(1, ups.stream().filter(r -> r.stdout().contains("already running")).count(),
                () -> "exactly one up found the stack started by the other: " + ups.get(0).describe() + "\n"
                        + ups.get(1).describe());
    }

    @AfterAll
    static void down() {
        if (stack == null) {
            return;
        }
        long broker = stack.recordedPid("broker");
        long connect = stack.recordedPid("connect");
        Scripts.Result down = stack.run("down");
        assertEquals(0, down.exitCode(), down::describe);
        assertFalse(Scripts.alive(broker), "broker " + broker + " still alive after down");
        assertFalse(Scripts.alive(connect), "worker " + connect + " still alive after down");
    }

    @Test
    @Order(1)
    void workerServiceLoadsBothConnectorsFromThePackagedPlugin() {
        ConnectRest.Response plugins = rest.get("/connector-plugins");
        assertEquals(200, plugins.status(), plugins.body());
        String version = Scripts.required("rockpool.version");
        boolean source = false;
        boolean sink = false;
        for (JsonNode plugin : plugins.json()) {
            String cls = plugin.path("class").asText();
            source |= cls.equals(SOURCE_CLASS) && plugin.path("type").asText().equals("source")
                    && plugin.path("version").asText().equals(version);
            sink |= cls.equals(SINK_CLASS) && plugin.path("type").asText().equals("sink")
                    && plugin.path("version").asText().equals(version);
        }
        assertTrue(source && sink, "both connectors, version " + version + ": " + plugins.body());
    }

    @Test
    @Order(2)
    void secondUpIsHarmless() {
        long broker = stack.recordedPid("broker");
        long connect = stack.recordedPid("connect");
        Scripts.Result again = stack.run("up");
        assertEquals(0, again.exitCode(), again::describe);
        assertTrue(again.stdout().contains("already running"), again::describe);
        assertEquals(broker, stack.recordedPid("broker"));
        assertEquals(connect, stack.recordedPid("connect"));
        Scripts.Result status = stack.run("status");
        assertEquals(0, status.exitCode(), status::describe);
        assertTrue(status.stdout().contains("pid " + broker) && status.stdout().contains("pid " + connect),
                status::describe);
    }

    @Test
    @Order(3)
    void poolToTopicToPoolThroughTheExampleConnectors() throws Exception {
        // Separate feeds get separate times (one batch may share one), which the replay test cuts a window from.
        for (int first = 1; first <= 20; first += 5) {
            feed(first, first + 4, "e2e", "journald");
        }
        feed(21, 30, "e2e");

        rest.deployAndAwaitRunning(Examples.connector("host-edge-intake-source.json").with(Map.of(
                "name", "e2e-intake", "pool.dir", pools.toString(), "pools", POOL)), WAIT);
        rest.deployAndAwaitRunning(Examples.connector("exactly-once-source.json").with(Map.of(
                "name", "e2e-eos", "pool.dir", pools.toString(), "pools", POOL, "tasks.max", "1")), WAIT);
        rest.deployAndAwaitRunning(Examples.connector("edge-sink.json").with(Map.of(
                "name", "e2e-sink", "pool.dir", pools.toString(), "topics", INTAKE_TOPIC, "pool", MIRROR,
                "errors.deadletterqueue.topic.name", "e2e-sink.dlq")), WAIT);

        List<Message> source = readPool(POOL, 30);
        List<ConsumerRecord<byte[], byte[]>> intake = consume(INTAKE_TOPIC, 30);
        assertEquals(30, intake.size(), () -> "records on " + INTAKE_TOPIC + connectLog());
        for (int k = 0; k < 30; k++) {
            Message m = source.get(k);
            ConsumerRecord<byte[], byte[]> r = intake.get(k);
            assertArrayEquals(m.data(), r.value(), "value = the stored JSON bytes, seq " + m.seq());
            assertEquals("edge-1", new String(r.key(), StandardCharsets.UTF_8), "key.jq .data._HOSTNAME");
            assertEquals(m.timeNanos() / 1_000_000, r.timestamp(), "record time = message time");
            assertEquals(POOL, header(r, "rockpool.pool"));
            assertEquals(Long.toString(m.seq()), header(r, "rockpool.seq"));
            assertNotNull(header(r, "rockpool.time"));
            assertNotNull(header(r, "rockpool.tags"));
        }
        assertSeqsExactlyOnce(consume(EOS_TOPIC, 30), 30);

        List<Message> mirror = readPool(MIRROR, 30);
        for (int k = 0; k < 30; k++) {
            Message original = source.get(k);
            Message copy = mirror.get(k);
            assertArrayEquals(original.data(), copy.data(), "mirror data, seq " + original.seq());
            List<String> expectedTags = new ArrayList<>(List.of("from-kafka"));
            expectedTags.addAll(original.tags());
            assertEquals(expectedTags, copy.tags(), "static tags, then the tags carried by rockpool.tags");
            assertEquals(INTAKE_TOPIC, copy.origin().topic());
            assertEquals(k, copy.origin().offset());
        }
    }

    /** The replay example: a time window, a tag and a jq predicate, into its own topic, and nothing past stop.at. */
    @Test
    @Order(4)
    void incidentReplayExampleReplaysTheWindowItSelects() throws Exception {
        List<Message> source = readPool(POOL, 30);
        long fromNanos = source.get(5).timeNanos();
        long toNanos = source.get(10).timeNanos();
        String from = Instant.ofEpochSecond(0, fromNanos).toString();
        String to = Instant.ofEpochSecond(0, toNanos).toString();
        rest.deployAndAwaitRunning(Examples.connector("incident-replay-source.json").with(Map.of(
                "name", "e2e-replay", "pool.dir", pools.toString(), "pools", POOL, "topic", "e2e-incident",
                "start.from", "time:" + from, "stop.at", "time:" + to)), WAIT);
        // Inside [from, to], tagged journald and PRIORITY "3" (every fourth message).
        List<Long> expected = source.stream()
                .filter(m -> m.timeNanos() >= fromNanos && m.timeNanos() <= toNanos)
                .filter(m -> m.tags().contains("journald") && JsonDataField.intField(m, "i") % 4 == 0)
                .map(Message::seq).toList();
        assertTrue(!expected.isEmpty() && !expected.contains(4L) && !expected.contains(16L),
                "the window cuts both ends: " + expected);
        List<ConsumerRecord<byte[], byte[]>> replayed = consume("e2e-incident", expected.size());
        assertEquals(expected, replayed.stream().map(r -> Long.parseLong(header(r, "rockpool.seq"))).toList(),
                () -> "replayed seqs" + connectLog());
        assertEquals(204, rest.delete("/connectors/e2e-replay").status());
    }

    /** A killed worker comes back with the next up and resumes every connector: nothing lost, nothing twice. */
    @Test
    @Order(5)
    void killedWorkerIsRestartedByUpAndResumesExactlyOnce() throws Exception {
        long broker = stack.recordedPid("broker");
        long worker = stack.recordedPid("connect");
        ProcessHandle handle = ProcessHandle.of(worker).orElseThrow(() -> new AssertionError("no worker " + worker));
        handle.destroyForcibly();
        handle.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        Scripts.Result partly = stack.run("status");
        assertEquals(1, partly.exitCode(), partly::describe);

        Scripts.Result up = stack.run("up");
        assertEquals(0, up.exitCode(), () -> up.describe() + connectLog());
        assertTrue(up.stdout().contains("starting the Connect worker")
                && up.stdout().contains("broker already running"), up::describe);
        assertEquals(broker, stack.recordedPid("broker"), "the running broker is left alone");

        feed(31, 40, "e2e", "journald");
        for (String name : List.of("e2e-intake", "e2e-eos", "e2e-sink")) {
            rest.awaitRunning(name, WAIT);
        }
        assertSeqsExactlyOnce(consume(EOS_TOPIC, 40), 40);
        assertSeqsExactlyOnce(consume(INTAKE_TOPIC, 40), 40);
        List<Message> mirror = readPool(MIRROR, 40);
        assertEquals(IntStream.rangeClosed(1, 40).boxed().toList(),
                mirror.stream().map(m -> JsonDataField.intField(m, "i")).toList(), "mirror holds 1..40 once, in order");
    }

    /**
     * The standalone example as an edge host would run it: connect-standalone.properties and
     * host-edge-intake-source.properties, as written but for ports and paths, in a ConnectStandalone JVM against the
     * stack's broker. Stopped (TERM) and started again, it resumes from its offsets file: every message once.
     */
    @Test
    @Order(6)
    void standaloneWorkerRunsTheIntakeExampleAndResumesFromItsOffsetsFile() throws Exception {
        String pool = "standalone";
        String topic = "logs." + pool;
        Path work = Files.createDirectories(temp.resolve("standalone"));
        Map<String, String> worker = new LinkedHashMap<>(Examples.properties(Examples.dir()
                .resolve("connect-standalone.properties")));
        worker.put("bootstrap.servers", stack.bootstrapServers());
        worker.put("offset.storage.file.filename", work.resolve("connect.offsets").toString());
        worker.put("listeners", "http://127.0.0.1:" + Scripts.freePort(new HashSet<>(List.of(stack.kafkaPort,
                stack.controllerPort, stack.connectPort))));
        worker.put("plugin.path", Path.of(Scripts.required("rockpool.plugin.dir")).getParent().toString());
        Map<String, String> connector = Examples.connector("host-edge-intake-source.properties").with(Map.of(
                "name", "standalone-intake", "pool.dir", pools.toString(), "pools", pool)).config();
        Path workerFile = writeProperties(work.resolve("worker.properties"), worker);
        Path connectorFile = writeProperties(work.resolve("intake.properties"), connector);

        feed(pool, 1, 10, "journald");
        runStandaloneUntil(workerFile, connectorFile, work.resolve("standalone-1.log"), topic, 10);
        feed(pool, 11, 20, "journald");
        List<ConsumerRecord<byte[], byte[]>> all = runStandaloneUntil(workerFile, connectorFile,
                work.resolve("standalone-2.log"), topic, 20);
        assertEquals("edge-1", new String(all.get(19).key(), StandardCharsets.UTF_8));
    }

    /**
     * Runs the standalone worker until the topic holds messages 1..{@code count}, each once and in order, then stops
     * it with TERM, as an init system does: the worker commits its offsets on the way out.
     */
    private static List<ConsumerRecord<byte[], byte[]>> runStandaloneUntil(Path workerFile, Path connectorFile,
                                                                          Path log, String topic, int count)
            throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process worker = new ProcessBuilder(javaBin, "-Xmx512m", "-cp", Scripts.required("rockpool.kafka.lib") + "/*",
                "org.apache.kafka.connect.cli.ConnectStandalone", workerFile.toString(), connectorFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            List<ConsumerRecord<byte[], byte[]>> records = consume(topic, count);
            assertEquals(IntStream.rangeClosed(1, count).boxed().toList(), intFields(records),
                    () -> "messages on " + topic + fileTail(log));
            return records;
        } finally {
            worker.destroy();
            if (!worker.waitFor(60, TimeUnit.SECONDS)) {
                worker.destroyForcibly().waitFor();
                throw new AssertionError("the standalone worker did not stop within 60 s of TERM" + fileTail(log));
            }
        }
    }

    private static Path writeProperties(Path file, Map<String, String> values) throws IOException {
        Properties props = new Properties();
        props.putAll(values);
        try (java.io.Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, null);
        }
        return file;
    }

    private static List<Integer> intFields(List<ConsumerRecord<byte[], byte[]>> records) throws IOException {
        List<Integer> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            values.add(Examples.MAPPER.readTree(r.value()).get("i").asInt());
        }
        return values;
    }

    private static String fileTail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return "\n--- " + file + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60),
                    lines.size()));
        } catch (IOException e) {
            return "\n(cannot read " + file + ": " + e + ")";
        }
    }

    private static void feed(int first, int last, String... tags) {
        feed(POOL, first, last, tags);
    }

    private static void feed(String pool, int first, int last, String... tags) {
        String lines = IntStream.rangeClosed(first, last)
                .mapToObj(i -> "{\"MESSAGE\":\"line " + i + "\",\"PRIORITY\":\"" + (i % 4 == 0 ? "3" : "6")
                        + "\",\"_HOSTNAME\":\"edge-1\",\"i\":" + i + "}")
                .collect(Collectors.joining("\n", "", "\n"));
        List<String> args = new ArrayList<>(List.of("--dir", pools.toString(), "feed", pool, "--create",
                "--create-size", "1M"));
        for (String tag : tags) {
            args.add("--tag");
            args.add(tag);
        }
        args.addAll(List.of("-f", "-"));
        Scripts.Result fed = Scripts.rockpool(lines, args.toArray(String[]::new));
        assertEquals(0, fed.exitCode(), fed::describe);
        assertEquals(last - first + 1, fed.stdout().lines().count(),
                () -> "one receipt per message: " + fed.describe());
    }

    /** Waits until the pool holds at least {@code count} messages and returns the first {@code count}. */
    private static List<Message> readPool(String name, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        PoolDirectory dir = new PoolDirectory(pools);
        while (!Files.exists(dir.pathOf(name))) {
            assertTrue(System.nanoTime() < deadline, () -> "pool " + name + " never appeared" + connectLog());
            Thread.sleep(200);
        }
        List<Message> messages = new ArrayList<>();
        try (Pool pool = Pool.open(dir.pathOf(name)); Cursor cursor = pool.cursor(Start.earliest())) {
            while (messages.size() < count && System.nanoTime() < deadline) {
                Message m = cursor.poll(Duration.ofMillis(200));
                if (m != null) {
                    messages.add(m);
                }
            }
        }
        assertEquals(count, messages.size(), () -> "messages in pool " + name + connectLog());
        return messages;
    }

    /** Committed records of a topic from the start: waits for {@code expected}, then a little longer for extras. */
    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            while (partitions == null || partitions.isEmpty()) {
                assertTrue(System.nanoTime() < deadline, () -> "topic " + topic + " never appeared" + connectLog());
                ConnectRest.sleep(300);
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                consumer.poll(Duration.ofMillis(300)).forEach(records::add);
                if (records.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    // Duplicates or records past a replay's end would arrive right behind the expected ones.
                    settleUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return records;
    }

    private static void assertSeqsExactlyOnce(List<ConsumerRecord<byte[], byte[]>> records, int count) {
        List<Long> seqs = records.stream().map(r -> Long.parseLong(header(r, "rockpool.seq"))).toList();
        assertEquals(LongRange.of(1, count), seqs, () -> "seqs on the topic, each exactly once" + connectLog());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String connectLog() {
        return "\n--- last lines of the worker's log\n" + stack.logTail("connect");
    }

    /** 1..n as a list of longs. */
    private static final class LongRange {
        static List<Long> of(long first, long last) {
            List<Long> list = new ArrayList<>();
            for (long v = first; v <= last; v++) {
                list.add(v);
            }
            return list;
        }
    }

    /** Reads an int field of a message's JSON data. */
    private static final class JsonDataField {
        static int intField(Message m, String field) {
            try {
                return Examples.MAPPER.readTree(m.data()).path(field).asInt(-1);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }
}
