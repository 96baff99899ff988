package dev.rockpool.connect.source;

import dev.rockpool.connect.ConfigDocs;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connector class without a worker: config checks, task configs, offsets validation, the doc reference. */
class PoolSourceConnectorTest {
    @TempDir
    Path dir;

    private Map<String, String> props(String... kv) {
        Map<String, String> p = new HashMap<>();
        p.put("pool.dir", dir.toString());
        p.put("pools", "a,b,c");
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                p.remove(kv[i]);
            } else {
                p.put(kv[i], kv[i + 1]);
            }
        }
        return p;
    }

    private static Map<String, List<String>> errors(Config config) {
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigValue v : config.configValues()) {
            if (!v.errorMessages().isEmpty()) {
                errors.put(v.name(), v.errorMessages());
            }
        }
        return errors;
    }

    @Test
    void theDesignKeysAreDefined() {
        assertEquals(List.of("pool.dir", "pools", "topic", "key.jq", "value.format", "headers", "filter.tags", "filter.where",
                "start.from", "stop.at", "on.gap", "batch.max.messages", "poll.timeout.ms", "heartbeat.topic",
                "heartbeat.interval.ms"),
                PoolSourceConfig.keys());
    }

    @Test
    void aGoodConfigValidatesCleanly() {
        Map<String, String> p = props("topic", "logs.${pool}", "filter.where", ".data.level == \"error\"",
                "key.jq", ".data.host", "start.from", "time:2026-11-22T01:02:03Z", "stop.at", "seq:100",
                "on.gap", "FAIL", "filter.tags", "x,y");
        assertEquals(Map.of(), errors(new PoolSourceConnector().validate(p)));
        PoolSourceConfig config = new PoolSourceConfig(p);
        assertEquals("logs.b", config.topicFor("b"));
        assertEquals(List.of("x", "y"), config.filter().requiredTags());
        assertEquals(null, config.heartbeatTopic());
    }

    @Test
    void aBadHeartbeatTopicIsAFieldError() {
        Map<String, String> p = props("heartbeat.topic", "no spaces allowed");
        assertTrue(errors(new PoolSourceConnector().validate(p)).containsKey("heartbeat.topic"));
        assertEquals("hb.topic", new PoolSourceConfig(props("heartbeat.topic", " hb.topic ")).heartbeatTopic());
    }

    @Test
    void validationReportsEachProblemOnItsKey() {
        Map<String, List<String>> e = errors(new PoolSourceConnector().validate(props("pools", null,
                "filter.where", ".data.level ==", "key.jq", "{", "start.from", "yesterday", "stop.at", "seq:0",
                "on.gap", "ignore", "pool.dir", dir.resolve("nope").toString(), "batch.max.messages", "0",
                "headers", "seq,offset")));
        assertEquals(List.of("pools", "filter.where", "key.jq", "start.from", "stop.at", "on.gap", "pool.dir",
                "batch.max.messages", "headers").stream().sorted().toList(), e.keySet().stream().sorted().toList(), e.toString());
        assertTrue(e.get("pools").get(0).contains("Missing required configuration"), e.toString());
        assertTrue(e.get("filter.where").get(0).contains("invalid jq expression"), e.toString());
        assertTrue(e.get("start.from").get(0).contains("earliest, latest, seq:N or time:RFC3339"), e.toString());
        assertTrue(e.get("stop.at").get(0).contains(">= 1"), e.toString());
        assertTrue(e.get("pool.dir").get(0).contains("does not exist"), e.toString());
        assertTrue(e.get("headers").get(0).contains("unknown header 'offset'"), e.toString());
        Map<String, List<String>> topic = errors(new PoolSourceConnector().validate(props("pools", "ok,bad name")));
        assertTrue(topic.get("topic").get(0).contains("pool 'bad name'"), topic.toString());
        Map<String, List<String>> names = errors(new PoolSourceConnector().validate(props("pools", "../etc")));
        assertTrue(names.get("pools").get(0).contains("invalid pool name"), names.toString());
        assertThrows(ConfigException.class, () -> new PoolSourceConfig(props("start.from", "time:noon")));
    }

    @Test
    void poolsAreSpreadOverTasks() {
        PoolSourceConnector connector = new PoolSourceConnector();
        connector.start(props("pools", "a,b,c,d,e", "tasks.max", "2"));
        List<Map<String, String>> configs = connector.taskConfigs(2);
        assertEquals(List.of("a,b,c", "d,e"), configs.stream().map(c -> c.get("pools")).toList());
        assertEquals(dir.toString(), configs.get(0).get("pool.dir"));
        assertEquals(5, connector.taskConfigs(10).size(), "never more tasks than pools");
        assertEquals(1, new PoolSourceConnector() {{ start(props("pools", "a")); }}.taskConfigs(4).size());
    }

    @Test
    void exactlyOnceIsSupportedAndVersionIsKnown() {
        PoolSourceConnector connector = new PoolSourceConnector();
        assertEquals(ExactlyOnceSupport.SUPPORTED, connector.exactlyOnceSupport(props()));
        assertEquals(ConnectorTransactionBoundaries.UNSUPPORTED, connector.canDefineTransactionBoundaries(props()));
        assertNotEquals("unknown", connector.version());
        assertFalse(connector.version().startsWith("${"));
        assertEquals(connector.version(), new PoolSourceTask().version());
    }

    @Test
    void alterOffsetsChecksPartitionsAndOffsets() {
        PoolSourceConnector c = new PoolSourceConnector();
        Map<String, String> p = props();
        assertTrue(c.alterOffsets(p, Map.of(Map.of("pool", "a"), Map.of("seq", 5))));
        assertTrue(c.alterOffsets(p, Map.of(Map.of("pool", "b"), Map.of("seq", 5L,
                "pool.id", "0123456789abcdef0123456789abcdef"))));
        assertTrue(c.alterOffsets(p, Collections.singletonMap(Map.of("pool", "c"), null)), "reset");
        assertRejected(c, p, Map.of("pool", "zzz"), Map.of("seq", 5), "not among the connector's pools");
        assertTrue(c.alterOffsets(p, Collections.singletonMap(Map.of("pool", "removed"), null)),
                "a pool no longer configured can be reset, so its old offset can be cleaned up");
        assertRejected(c, p, Map.of("file", "a"), Map.of("seq", 5), "is not {\"pool\"");
        assertRejected(c, p, Map.of("pool", "a"), Map.of("seq", 0), "must be >= 1");
        assertRejected(c, p, Map.of("pool", "a"), Map.of("seq", "5"), "whole number");
        assertRejected(c, p, Map.of("pool", "a"), Map.of("seq", 1.5), "whole number");
        assertRejected(c, p, Map.of("pool", "a"), Map.of("seq", 5, "pool.id", "x"), "32 hex digits");
        assertRejected(c, p, Map.of("pool", "a"), Map.of("seq", 5, "position", 1), "unknown offset field");
    }

    private static void assertRejected(PoolSourceConnector c, Map<String, String> p, Map<String, ?> partition,
                                       Map<String, ?> offset, String expected) {
        ConnectException e = assertThrows(ConnectException.class, () -> c.alterOffsets(p, Map.of(partition, offset)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** docs/CONNECTORS.md must hold the reference generated from the ConfigDef. */
    @Test
    void theCommittedConfigReferenceIsCurrent() throws Exception {
        assertNull(ConfigDocs.check(Paths.get("..", "docs", "CONNECTORS.md"), "source", PoolSourceConfig.CONFIG_DEF));
    }
}
