package dev.rockpool.connect.transforms;

import dev.rockpool.connect.PluginVersion;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.rockpool.connect.transforms.ConversionTest.record;
import static dev.rockpool.connect.transforms.ConversionTest.transform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The predicate and the transformation on records, outside a worker: every key and outcome. */
class JqPluginsTest {
    private static final String ERROR_LINE = "{\"level\":\"error\",\"msg\":\"disk full\",\"n\":3}";

    private static JqMatches<SourceRecord> matches(String query, String... kv) {
        JqMatches<SourceRecord> p = new JqMatches.Value<>();
        p.configure(props(query, kv));
        return p;
    }

    private static Map<String, Object> props(String query, String... kv) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("query", query);
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        return props;
    }

    private static SourceRecord line(String json) {
        return record(Schema.OPTIONAL_STRING_SCHEMA, json);
    }

    @Test
    void predicateHoldsOnTrueOnly() {
        JqMatches<SourceRecord> errors = matches(".level == \"error\"");
        assertTrue(errors.test(line(ERROR_LINE)));
        assertFalse(errors.test(line("{\"level\":\"info\"}")));
        assertFalse(matches(".missing").test(line(ERROR_LINE)), "null: false");
        assertFalse(matches("empty").test(line(ERROR_LINE)), "no output: false");
        assertTrue(matches(".level == \"info\", .level == \"error\"").test(line(ERROR_LINE)), "any output true");
        JqMatches<SourceRecord> key = new JqMatches.Key<>();
        key.configure(props(". == \"k\""));
        SourceRecord keyed = new SourceRecord(Map.of(), Map.of(), "t", 0, Schema.STRING_SCHEMA, "\"k\"", null, null);
        assertTrue(key.test(keyed), "the key, JSON text");
    }

    @Test
    void predicateNullsAndErrorsAsConfigured() {
        SourceRecord tombstone = record(null, null);
        assertFalse(matches(".a").test(tombstone), "on.null=false by default");
        assertTrue(matches(".a", "on.null", "true").test(tombstone));
        assertTrue(matches(". == null", "on.null", "evaluate").test(tombstone));
        SourceRecord notJson = line("not json");
        DataException fail = assertThrows(DataException.class, () -> matches(".a").test(notJson));
        assertTrue(fail.getMessage().startsWith("jq predicate '.a' failed on the record of topic t partition 0: "
                + "not JSON text"), fail.getMessage());
        assertFalse(matches(".a", "on.error", "false").test(notJson));
        assertTrue(matches(".a", "on.error", "TRUE").test(notJson), "choices are case-insensitive");
        DataException notBoolean = assertThrows(DataException.class, () -> matches(".n").test(line(ERROR_LINE)));
        assertTrue(notBoolean.getMessage().contains("must yield true or false, got 3"), notBoolean.getMessage());
        DataException runaway = assertThrows(DataException.class,
                () -> matches("[range(1e18)] | length > 0", "max.steps", "1000").test(line(ERROR_LINE)));
        assertTrue(runaway.getMessage().contains("took more than 1000 steps"), runaway.getMessage());
        SinkRecord sunk = new SinkRecord("in", 3, null, null, null, "oops", 17L);
        JqMatches<SinkRecord> onSink = new JqMatches.Value<>();
        onSink.configure(props(".a"));
        assertTrue(assertThrows(DataException.class, () -> onSink.test(sunk)).getMessage()
                .contains("topic in partition 3 offset 17"));
    }

    @Test
    void transformReplacesDropsAndRefusesSeveralOutputs() {
        SourceRecord in = line(ERROR_LINE);
        assertEquals("{\"level\":\"error\",\"msg\":\"disk full\"}", transform("{level, msg}").apply(in).value());
        assertNull(transform("select(.level == \"info\")").apply(in), "no output: dropped");
        DataException several = assertThrows(DataException.class, () -> transform(".level, .msg").apply(in));
        assertTrue(several.getMessage().contains("gave 2 outputs"), several.getMessage());
        assertEquals("[\"error\",\"disk full\"]", transform("[.level, .msg]").apply(in).value());
        SourceRecord tomb = transform("null").apply(in);
        assertNull(tomb.value(), "a null output is a null value");
        assertSame(Schema.OPTIONAL_STRING_SCHEMA, tomb.valueSchema());
        assertNull(transform("null").apply(record(Schema.STRING_SCHEMA, ERROR_LINE)).value());
        assertSame(Schema.OPTIONAL_STRING_SCHEMA, transform("null").apply(record(Schema.STRING_SCHEMA, ERROR_LINE))
                .valueSchema(), "a required string schema becomes optional for the null");
    }

    @Test
    void transformRawOutputAndSizeBound() {
        SourceRecord in = line(ERROR_LINE);
        assertEquals("\"disk full\"", transform(".msg").apply(in).value());
        assertEquals("disk full", transform(".msg", "raw.output", "true").apply(in).value());
        assertEquals("3", transform(".n", "raw.output", "true").apply(in).value(), "raw applies to strings only");
        assertArrayEquals("disk full".getBytes(StandardCharsets.UTF_8), (byte[]) transform(".msg", "raw.output",
                "true").apply(record(null, ERROR_LINE.getBytes(StandardCharsets.UTF_8))).value());
        DataException large = assertThrows(DataException.class,
                () -> transform("[range(100)]", "max.output.bytes", "100").apply(in));
        assertTrue(large.getMessage().contains("over max.output.bytes=100"), large.getMessage());
        assertThrows(DataException.class, () -> transform("[range(100)] | map({a: .})", "max.output.bytes", "100")
                .apply(record(null, Map.of("a", 1))), "schemaless output: bounded too");
    }

    @Test
    void transformNullsAndErrorsAsConfigured() {
        SourceRecord tombstone = record(null, null);
        assertSame(tombstone, transform(".a").apply(tombstone), "on.null=keep by default");
        assertNull(transform(".a", "on.null", "drop").apply(tombstone));
        assertEquals("{\"was\":null}", transform("{was: .}", "on.null", "evaluate")
                .apply(record(Schema.OPTIONAL_STRING_SCHEMA, null)).value());
        SourceRecord bad = line("{\"level\":3}");
        assertThrows(DataException.class, () -> transform(".level | ascii_downcase").apply(bad));
        assertSame(bad, transform(".level | ascii_downcase", "on.error", "keep").apply(bad));
        assertNull(transform(".level | ascii_downcase", "on.error", "drop").apply(bad));
        assertNull(transform("[range(1e18)]", "on.error", "drop").apply(bad), "the step bound is an error too");
    }

    @Test
    void keyTransformLeavesTheValue() {
        JqTransform<SourceRecord> key = new JqTransform.Key<>();
        key.configure(props(".id"));
        SourceRecord in = new SourceRecord(Map.of(), Map.of(), "t", 0, null, Map.of("id", 7L, "x", 1L), null,
                "v", 1L);
        SourceRecord out = key.apply(in);
        assertEquals(7L, out.key());
        assertEquals("v", out.value());
    }

    @Test
    void aBadQueryOrChoiceIsAConfigExceptionNamingTheKey() {
        ConfigException syntax = assertThrows(ConfigException.class, () -> matches(".level =="));
        assertEquals("Invalid value .level == for configuration query: invalid jq expression '.level ==': syntax "
                + "error at line 1, column 9 (end of expression)", syntax.getMessage());
        assertThrows(ConfigException.class, () -> transform("{a: }"));
        assertThrows(ConfigException.class, () -> transform(""));
        assertThrows(ConfigException.class, () -> new JqMatches.Value<SourceRecord>().configure(Map.of()));
        assertThrows(ConfigException.class, () -> matches(".a", "on.error", "keep"), "keep is the transform's");
        assertThrows(ConfigException.class, () -> transform(".a", "on.null", "true"), "true is the predicate's");
        assertThrows(ConfigException.class, () -> transform(".a", "max.steps", "0"));
    }

    /** docs/TRANSFORMS.md carries the reference generated from both ConfigDefs. */
    @Test
    void theConfigReferenceInTheDocsIsGeneratedFromTheConfigDefs() throws java.io.IOException {
        java.nio.file.Path doc = java.nio.file.Path.of("..", "docs", "TRANSFORMS.md");
        assertNull(dev.rockpool.connect.ConfigDocs.check(doc, "jq-matches", JqConfig.MATCHES));
        assertNull(dev.rockpool.connect.ConfigDocs.check(doc, "jq-transform", JqConfig.TRANSFORM));
    }

    @Test
    void versionIsThePluginsAndConfigIsTheDefinition() {
        assertEquals(PluginVersion.VERSION, new JqMatches.Key<SourceRecord>().version());
        assertEquals(PluginVersion.VERSION, new JqTransform.Value<SourceRecord>().version());
        assertSame(JqConfig.MATCHES, new JqMatches.Value<SourceRecord>().config());
        assertSame(JqConfig.TRANSFORM, new JqTransform.Key<SourceRecord>().config());
        assertEquals("Value{query=.a}", matches(".a").toString());
    }
}
