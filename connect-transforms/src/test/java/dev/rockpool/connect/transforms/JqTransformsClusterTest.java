package dev.rockpool.connect.transforms;

import dev.rockpool.connect.source.PoolSourceConnector;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.connect.file.FileStreamSinkConnector;
import org.apache.kafka.connect.file.FileStreamSourceConnector;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.transforms.Filter;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The predicate and the transformation in a real distributed worker against a real broker (Kafka's
 * EmbeddedConnectCluster), on connectors that are not rockpool's (Kafka's FileStream source and sink, its Filter SMT
 * and converters) and on rockpool's source. One cluster for the class; each test has its own files, topics and
 * connectors.
 */
class JqTransformsClusterTest {
    private static final String STRINGS = "org.apache.kafka.connect.storage.StringConverter";
    private static final String BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";
    private static final String JSON = "org.apache.kafka.connect.json.JsonConverter";
    private static final String MATCHES = JqMatches.Value.class.getName();
    private static final String TRANSFORM = JqTransform.Value.class.getName();
    private static final long WAIT_MS = 60_000;

    @TempDir
    static Path dir;

    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startCluster() {
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.discovery", "service_load");
        worker.put("listeners", "http://127.0.0.1:0");
        worker.put("offset.flush.interval.ms", "1000");
        Properties broker = new Properties();
        broker.put("offsets.topic.num.partitions", "1");
        broker.put("offsets.topic.replication.factor", "1");
        broker.put("group.initial.rebalance.delay.ms", "0");
        connect = new EmbeddedConnectCluster.Builder().name("rockpool-transforms").numWorkers(1).numBrokers(1)
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

    private static Path lines(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, Arrays.asList(lines), StandardCharsets.UTF_8);
        return file;
    }

    private static Map<String, String> config(String... kv) {
        Map<String, String> c = new HashMap<>();
        c.put("tasks.max", "1");
        c.put("key.converter", STRINGS);
        c.put("value.converter", STRINGS);
        for (int i = 0; i < kv.length; i += 2) {
            c.put(kv[i], kv[i + 1]);
        }
        return c;
    }

    private static Map<String, String> fileSource(Path file, String topic, String... kv) {
        Map<String, String> c = config(kv);
        c.put("connector.class", FileStreamSourceConnector.class.getName());
        c.put("file", file.toString());
        c.put("topic", topic);
        return c;
    }

    private static Map<String, String> fileSink(String topic, Path file, String... kv) {
        Map<String, String> c = config(kv);
        c.put("connector.class", FileStreamSinkConnector.class.getName());
        c.put("topics", topic);
        c.put("file", file.toString());
        return c;
    }

    private static void start(String name, Map<String, String> config) throws InterruptedException {
        connect.configureConnector(name, config);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "connector " + name);
    }

    /** Every value on the topic once at least {@code atLeast} arrived: what was dropped would have come before. */
    private static List<String> values(String topic, int atLeast) throws Exception {
        connect.kafka().consume(atLeast, WAIT_MS, topic);
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consumeAll(WAIT_MS, topic)) {
            values.add(r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static List<String> fileLines(Path file, int count) throws Exception {
        TestUtils.waitForCondition(() -> Files.exists(file) && Files.readAllLines(file).size() >= count, WAIT_MS,
                file + " has " + count + " lines");
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    /** A plugin metric of the connector's task, read from the worker's JMX as an operator would. */
    private static long metric(String connector, String plugin, String alias, String name) throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = jmx.queryNames(new ObjectName("kafka.connect:type=plugins,connector=" + connector
                + "," + plugin + "=" + alias + ",*"), null);
        assertEquals(1, names.size(), "plugin metrics of " + plugin + " " + alias + ": " + names);
        return ((Number) jmx.getAttribute(names.iterator().next(), name)).longValue();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void filterKeepsTheRecordsJqMatchesSelects() throws Exception {
        connect.kafka().createTopic("errors-only", 1);
        Path log = lines("app.log", "{\"level\":\"info\",\"msg\":\"up\"}", "{\"level\":\"error\",\"msg\":\"disk\"}",
                "{\"level\":\"warn\",\"msg\":\"slow\"}", "{\"msg\":\"no level\"}",
                "{\"level\":\"error\",\"msg\":\"net\"}", "{\"level\":\"error\",\"msg\":\"last\"}");
        start("errors-only", fileSource(log, "errors-only",
                "transforms", "onlyErrors", "transforms.onlyErrors.type", Filter.class.getName(),
                "transforms.onlyErrors.predicate", "isError", "transforms.onlyErrors.negate", "true",
                "predicates", "isError", "predicates.isError.type", MATCHES,
                "predicates.isError.query", ".level == \"error\""));
        assertEquals(List.of("{\"level\":\"error\",\"msg\":\"disk\"}", "{\"level\":\"error\",\"msg\":\"net\"}",
                "{\"level\":\"error\",\"msg\":\"last\"}"), values("errors-only", 3));
        TestUtils.waitForCondition(() -> metric("errors-only", "predicate", "isError", "evaluated-total") == 6,
                WAIT_MS, "six records evaluated");
        assertEquals(3, metric("errors-only", "predicate", "isError", "matched-total"));
        assertEquals(0, metric("errors-only", "predicate", "isError", "errors-total"));
        connect.deleteConnector("errors-only");
    }

    @Test
    void transformReshapesFileStreamLinesAndRockpoolBytesAndMaps() throws Exception {
        for (String topic : List.of("fs-shaped", "pool-bytes", "pool-json", "pool-json-schema")) {
            connect.kafka().createTopic(topic, 1);
        }
        String shape = "{level, msg}";
        String line = "{\"level\":\"error\",\"msg\":\"disk\",\"host\":\"a\",\"x\":1.50}";
        start("fs-shaped", fileSource(lines("shaped.log", line), "fs-shaped", "transforms", "shape",
                "transforms.shape.type", TRANSFORM, "transforms.shape.query", "{level, msg, x}"));
        assertEquals(List.of("{\"level\":\"error\",\"msg\":\"disk\",\"x\":1.50}"), values("fs-shaped", 1));

        Path pools = Files.createDirectories(dir.resolve("pools"));
        try (Pool pool = Pool.create(pools.resolve("events.pool"), PoolOptions.ofSize(PoolOptions.MIN_SIZE * 4))) {
            pool.append(Draft.of(line));
        }
        Map<String, List<String>> converters = Map.of("pool-bytes", List.of(BYTES, "false"),
                "pool-json", List.of(JSON, "false"), "pool-json-schema", List.of(JSON, "true"));
        for (Map.Entry<String, List<String>> c : converters.entrySet()) {
            start(c.getKey(), config("connector.class", PoolSourceConnector.class.getName(),
                    "pool.dir", pools.toString(), "pools", "events", "topic", c.getKey(),
                    "value.converter", c.getValue().get(0), "value.converter.schemas.enable", c.getValue().get(1),
                    "transforms", "shape", "transforms.shape.type", TRANSFORM, "transforms.shape.query", shape));
        }
        assertEquals(List.of("{\"level\":\"error\",\"msg\":\"disk\"}"), values("pool-bytes", 1), "bytes in and out");
        assertEquals(List.of("{\"level\":\"error\",\"msg\":\"disk\"}"), values("pool-json", 1), "schemaless map");
        assertEquals(List.of("{\"schema\":null,\"payload\":{\"level\":\"error\",\"msg\":\"disk\"}}"),
                values("pool-json-schema", 1), "schemaless map, JsonConverter with schemas");
        for (String name : List.of("fs-shaped", "pool-bytes", "pool-json", "pool-json-schema")) {
            connect.deleteConnector(name);
        }
    }

    @Test
    void aTransformAppliesOnlyWhereItsPredicateHolds() throws Exception {
        connect.kafka().createTopic("masked", 1);
        Path log = lines("users.log", "{\"user\":{\"id\":1,\"email\":\"a@example.com\"}}", "{\"user\":{\"id\":2}}",
                "{\"event\":\"boot\"}");
        start("masked", fileSource(log, "masked", "transforms", "mask", "transforms.mask.type", TRANSFORM,
                "transforms.mask.query", ".user.email = \"redacted\"", "transforms.mask.predicate", "hasEmail",
                "predicates", "hasEmail", "predicates.hasEmail.type", MATCHES,
                "predicates.hasEmail.query", ".user.email != null"));
        assertEquals(List.of("{\"user\":{\"id\":1,\"email\":\"redacted\"}}", "{\"user\":{\"id\":2}}",
                "{\"event\":\"boot\"}"), values("masked", 3));
        connect.deleteConnector("masked");
    }

    @Test
    void transformGivesStructsWithInferredSchemasAndMapsToASink() throws Exception {
        connect.kafka().createTopic("with-schema", 1);
        connect.kafka().createTopic("without-schema", 1);
        String schema = "{\"type\":\"struct\",\"fields\":[{\"field\":\"level\",\"type\":\"string\"},"
                + "{\"field\":\"n\",\"type\":\"int32\"},{\"field\":\"host\",\"type\":\"string\"}]}";
        connect.kafka().produce("with-schema", null, "{\"schema\":" + schema
                + ",\"payload\":{\"level\":\"error\",\"n\":3,\"host\":\"a\"}}");
        connect.kafka().produce("without-schema", null, "{\"level\":\"error\",\"n\":3,\"host\":\"a\"}");
        String query = "{level, n, next: (.n + 1)}";
        Path structs = dir.resolve("structs.out");
        Path maps = dir.resolve("maps.out");
        start("with-schema", fileSink("with-schema", structs, "value.converter", JSON,
                "value.converter.schemas.enable", "true", "transforms", "shape", "transforms.shape.type", TRANSFORM,
                "transforms.shape.query", query));
        start("without-schema", fileSink("without-schema", maps, "value.converter", JSON,
                "value.converter.schemas.enable", "false", "transforms", "shape", "transforms.shape.type", TRANSFORM,
                "transforms.shape.query", query));
        // FileStreamSink writes each value's toString(): a Struct for a schema, a Map without.
        assertEquals(List.of("Struct{level=error,n=3,next=4}"), fileLines(structs, 1));
        assertEquals(List.of("{level=error, n=3, next=4}"), fileLines(maps, 1));
        connect.deleteConnector("with-schema");
        connect.deleteConnector("without-schema");
    }

    @Test
    void aRuntimeErrorGoesToTheDeadLetterQueueWithToleranceAll() throws Exception {
        connect.kafka().createTopic("tolerant", 1);
        for (String value : List.of("{\"msg\":\"a\"}", "{\"msg\":1}", "not json", "{\"msg\":\"b\"}")) {
            connect.kafka().produce("tolerant", null, value);
        }
        Path out = dir.resolve("tolerant.out");
        start("tolerant", fileSink("tolerant", out, "errors.tolerance", "all",
                "errors.deadletterqueue.topic.name", "tolerant-dlq",
                "errors.deadletterqueue.topic.replication.factor", "1",
                "errors.deadletterqueue.context.headers.enable", "true",
                "transforms", "up", "transforms.up.type", TRANSFORM, "transforms.up.query", ".msg | ascii_upcase",
                "transforms.up.raw.output", "true"));
        assertEquals(List.of("A", "B"), fileLines(out, 2));
        ConsumerRecords<byte[], byte[]> dlq = connect.kafka().consume(2, WAIT_MS, "tolerant-dlq");
        List<String> dead = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            dead.add(new String(r.value(), StandardCharsets.UTF_8));
            String why = new String(r.headers().lastHeader("__connect.errors.exception.message").value(),
                    StandardCharsets.UTF_8);
            assertTrue(why.startsWith("jq transform '.msg | ascii_upcase' failed on the record of topic tolerant "
                    + "partition 0 offset "), why);
        }
        assertEquals(List.of("{\"msg\":1}", "not json"), dead);
        assertEquals(2, metric("tolerant", "transformation", "up", "errors-total"));
        connect.deleteConnector("tolerant");
    }

    @Test
    void aRuntimeErrorFailsTheTaskWithoutTolerance() throws Exception {
        connect.kafka().createTopic("strict", 1);
        connect.kafka().produce("strict", null, "{\"msg\":\"a\"}");
        connect.kafka().produce("strict", null, "{\"msg\":[1]}");
        connect.configureConnector("strict", fileSink("strict", dir.resolve("strict.out"), "transforms", "up",
                "transforms.up.type", TRANSFORM, "transforms.up.query", ".msg | ascii_upcase"));
        connect.assertions().assertConnectorIsRunningAndTasksHaveFailed("strict", 1, "the task fails");
        ConnectorStateInfo.TaskState task = connect.connectorStatus("strict").tasks().get(0);
        assertTrue(task.trace().contains("jq transform '.msg | ascii_upcase' failed on the record of topic strict "
                + "partition 0 offset 1"), task.trace());
        connect.deleteConnector("strict");
    }

    @Test
    void aRunawayQueryIsStoppedByTheBoundAndTheTaskGoesOn() throws Exception {
        connect.kafka().createTopic("runaway", 1);
        Path log = lines("runaway.log", "{\"level\":\"error\",\"i\":1}", "{\"loop\":true}",
                "{\"level\":\"info\",\"i\":2}", "{\"loop\":true}", "{\"level\":\"error\",\"i\":3}");
        start("runaway", fileSource(log, "runaway", "errors.tolerance", "all", "errors.log.enable", "true",
                "transforms", "onlyErrors", "transforms.onlyErrors.type", Filter.class.getName(),
                "transforms.onlyErrors.predicate", "isError", "transforms.onlyErrors.negate", "true",
                "predicates", "isError", "predicates.isError.type", MATCHES, "predicates.isError.max.steps", "100000",
                "predicates.isError.query", "if .loop then [range(1e18)] | length > 0 else .level == \"error\" end"));
        assertEquals(List.of("{\"level\":\"error\",\"i\":1}", "{\"level\":\"error\",\"i\":3}"), values("runaway", 2));
        assertEquals(2, metric("runaway", "predicate", "isError", "errors-total"));
        assertEquals("RUNNING", connect.connectorStatus("runaway").tasks().get(0).state());
        connect.deleteConnector("runaway");
    }

    @Test
    void aBadQueryIsRejectedByConfigValidation() {
        Map<String, String> config = fileSource(dir.resolve("none.log"), "none", "name", "validated",
                "transforms", "shape,onlyErrors", "transforms.shape.type", TRANSFORM, "transforms.shape.query", "{a: }",
                "transforms.onlyErrors.type", Filter.class.getName(), "transforms.onlyErrors.predicate", "isError",
                "predicates", "isError", "predicates.isError.type", MATCHES, "predicates.isError.query", ".level ==",
                "predicates.isError.on.error", "keep");
        ConfigInfos infos = connect.validateConnectorConfig(FileStreamSourceConnector.class.getSimpleName(), config);
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigInfo info : infos.configs()) {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        assertEquals(Set.of("transforms.shape.query", "predicates.isError.query", "predicates.isError.on.error"),
                errors.keySet(), errors.toString());
        assertNotNull(errors.get("transforms.shape.query").get(0));
        assertTrue(errors.get("transforms.shape.query").get(0).contains("syntax error at line 1, column 5 ('}')"),
                errors.toString());
        assertTrue(errors.get("predicates.isError.query").get(0)
                .contains("syntax error at line 1, column 9 (end of expression)"), errors.toString());
    }
}
