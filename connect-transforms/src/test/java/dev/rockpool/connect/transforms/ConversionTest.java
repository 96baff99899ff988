package dev.rockpool.connect.transforms;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connect data through jq and back: every Connect type, exact numbers, and the schema cache by shape. */
class ConversionTest {
    private static final Schema NESTED = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
    private static final Schema ALL = SchemaBuilder.struct().name("all.Types")
            .field("i8", Schema.INT8_SCHEMA).field("i16", Schema.INT16_SCHEMA).field("i32", Schema.INT32_SCHEMA)
            .field("i64", Schema.INT64_SCHEMA).field("f32", Schema.FLOAT32_SCHEMA).field("f64", Schema.FLOAT64_SCHEMA)
            .field("bool", Schema.BOOLEAN_SCHEMA).field("text", Schema.STRING_SCHEMA)
            .field("bytes", Schema.BYTES_SCHEMA).field("dec", Decimal.schema(2))
            .field("ts", Timestamp.SCHEMA).field("date", Date.SCHEMA).field("time", Time.SCHEMA)
            .field("list", SchemaBuilder.array(Schema.INT32_SCHEMA).build())
            .field("nested", NESTED).field("missing", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static Struct allTypes() {
        return new Struct(ALL).put("i8", (byte) -8).put("i16", (short) 1600).put("i32", 32_000_000)
                .put("i64", 9_007_199_254_740_993L).put("f32", 1.25f).put("f64", 0.1)
                .put("bool", true).put("text", "héllo").put("bytes", new byte[] {0, 1, (byte) 0xFF})
                .put("dec", new BigDecimal("12345678901234567.89")).put("ts", new java.util.Date(1_700_000_000_123L))
                .put("date", new java.util.Date(19_000L * 86_400_000L)).put("time", new java.util.Date(3_723_004L))
                .put("list", List.of(1, 2, 3)).put("nested", new Struct(NESTED).put("id", 7));
    }

    static JqTransform<SourceRecord> transform(String query, String... kv) {
        JqTransform<SourceRecord> t = new JqTransform.Value<>();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("query", query);
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        t.configure(props);
        return t;
    }

    static SourceRecord record(Schema schema, Object value) {
        return new SourceRecord(Map.of(), Map.of(), "t", 0, Schema.STRING_SCHEMA, "k", schema, value, 42L);
    }

    @Test
    void everyConnectTypePassesThroughUnchangedInValueAndType() {
        Struct in = allTypes();
        SourceRecord out = transform(".").apply(record(ALL, in));
        Struct struct = (Struct) out.value();
        for (org.apache.kafka.connect.data.Field f : ALL.fields()) {
            Object expected = in.get(f);
            Object actual = struct.get(f.name());
            if (expected instanceof byte[]) {
                assertArrayEquals((byte[]) expected, (byte[]) actual, f.name());
            } else if (expected instanceof Struct) {
                assertEquals(7, ((Struct) actual).get("id"));
            } else {
                assertEquals(expected, actual, f.name());
            }
            Schema schema = out.valueSchema().field(f.name()).schema();
            assertEquals(f.schema().type(), schema.type(), f.name());
            assertEquals(f.schema().name(), schema.name(), f.name());
            assertTrue(schema.isOptional(), f.name() + ": inferred schemas are optional");
        }
        assertEquals(2, Integer.parseInt(out.valueSchema().field("dec").schema().parameters().get("scale")));
        assertEquals(Schema.Type.STRING, out.valueSchema().field("missing").schema().type(), "null only: a string");
        assertEquals("k", out.key());
        assertEquals(42L, out.timestamp());
    }

    @Test
    void jqSeesConnectDataInItsJsonForm() {
        SourceRecord out = transform("{i8: (.i8 + 1), bytes, dec, ts, date, time, s: (.ts | .[0:4]), "
                + "n: (.i64 | tostring)}").apply(record(ALL, allTypes()));
        Struct s = (Struct) out.value();
        assertEquals(-7, s.get("i8"), "computed: jq's narrowest integer");
        assertArrayEquals(new byte[] {0, 1, (byte) 0xFF}, (byte[]) s.get("bytes"), "unchanged: still bytes");
        assertEquals(new java.util.Date(1_700_000_000_123L), s.get("ts"));
        assertEquals("2023", s.get("s"), "a Timestamp is RFC 3339 text to jq");
        assertEquals("9007199254740993", s.get("n"), "no rounding through doubles");
        SourceRecord text = transform("[.bytes, .ts, .date, .time, .dec] | map(tostring) | join(\" \")")
                .apply(record(ALL, allTypes()));
        assertEquals("AAH/ 2023-11-14T22:13:20.123Z 2022-01-08 01:02:03.004 12345678901234567.89", text.value());
    }

    @Test
    void jsonTextKeepsItsNumbersExactly() {
        String json = "{\"price\":1.50,\"big\":12345678901234567890123,\"l\":9007199254740993,\"e\":1E+3,"
                + "\"s\":\"\\u00e9\"}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        SourceRecord same = transform(".").apply(record(Schema.OPTIONAL_BYTES_SCHEMA, bytes));
        String compact = "{\"price\":1.50,\"big\":12345678901234567890123,\"l\":9007199254740993,\"e\":1E+3,"
                + "\"s\":\"é\"}";
        assertArrayEquals(compact.getBytes(StandardCharsets.UTF_8), (byte[]) same.value());
        assertSame(Schema.OPTIONAL_BYTES_SCHEMA, same.valueSchema());
        SourceRecord picked = transform("{big, price}").apply(record(Schema.STRING_SCHEMA, json));
        assertEquals("{\"big\":12345678901234567890123,\"price\":1.50}", picked.value());
        SourceRecord buffer = transform(".l").apply(record(null, ByteBuffer.wrap(bytes)));
        assertArrayEquals("9007199254740993".getBytes(StandardCharsets.UTF_8), (byte[]) buffer.value());
    }

    @Test
    void schemalessDataKeepsItsJavaTypes() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("i", 5);
        in.put("l", 9_007_199_254_740_993L);
        in.put("d", 0.1);
        in.put("b", (byte) 3);
        in.put("list", List.of("a", 1L));
        in.put("nested", Map.of("x", true));
        in.put("nothing", null);
        SourceRecord out = transform(".").apply(record(null, in));
        assertEquals(in, out.value());
        assertNull(out.valueSchema());
        Map<?, ?> picked = (Map<?, ?>) transform("{l, d, b, n: (.i + 1)}").apply(record(null, in)).value();
        assertEquals(9_007_199_254_740_993L, picked.get("l"));
        assertEquals(0.1, picked.get("d"));
        assertEquals((byte) 3, picked.get("b"));
        assertEquals(6, picked.get("n"));
        assertEquals(List.of("a", 1L), transform(".list").apply(record(null, in)).value());
    }

    @Test
    void aSchemalessNumberWithoutAnExactFormIsBadDataNotRounded() {
        Map<String, Object> in = Map.of("d", new BigDecimal("0.1000000000000000000001"));
        DataException e = assertThrows(DataException.class, () -> transform(".").apply(record(null, in)));
        assertTrue(e.getMessage().contains("0.1000000000000000000001"), e.getMessage());
        assertEquals(Map.of("d", 1.5), transform(".").apply(record(null, Map.of("d", new BigDecimal("1.5"))))
                .value(), "a decimal a double holds exactly becomes that double");
    }

    @Test
    void schemasAreCachedByShapeAndNeverStale() {
        Schema in = SchemaBuilder.struct().field("a", Schema.OPTIONAL_STRING_SCHEMA).build();
        JqTransform<SourceRecord> t = transform(".a | fromjson");
        Schema ab1 = t.apply(record(in, new Struct(in).put("a", "{\"a\":1,\"b\":\"x\"}"))).valueSchema();
        Schema ab2 = t.apply(record(in, new Struct(in).put("a", "{\"a\":2,\"b\":\"y\"}"))).valueSchema();
        assertSame(ab1, ab2, "one shape, one schema object");
        Schema ba = t.apply(record(in, new Struct(in).put("a", "{\"b\":\"x\",\"a\":1}"))).valueSchema();
        Schema aString = t.apply(record(in, new Struct(in).put("a", "{\"a\":\"1\",\"b\":\"x\"}"))).valueSchema();
        Schema abc = t.apply(record(in, new Struct(in).put("a", "{\"a\":1,\"b\":\"x\",\"c\":null}"))).valueSchema();
        for (Schema other : List.of(ba, aString, abc)) {
            assertNotSame(ab1, other);
        }
        assertEquals("b", ba.fields().get(0).name(), "field order is the output's");
        assertEquals(Schema.Type.STRING, aString.field("a").schema().type());
        Schema decimals = SchemaBuilder.struct().field("k", Schema.INT32_SCHEMA).field("d1", Decimal.schema(1))
                .field("d2", Decimal.schema(2)).build();
        JqTransform<SourceRecord> pick = transform("{a: (if .k == 1 then .d1 else .d2 end)}");
        Struct d = new Struct(decimals).put("d1", new BigDecimal("1.5")).put("d2", new BigDecimal("1.50"));
        Schema scale1 = pick.apply(record(decimals, d.put("k", 1))).valueSchema();
        Schema scale2 = pick.apply(record(decimals, d.put("k", 2))).valueSchema();
        assertEquals("1", scale1.field("a").schema().parameters().get("scale"));
        assertEquals("2", scale2.field("a").schema().parameters().get("scale"), "the scale is part of the shape");
        assertSame(ab1, t.apply(record(in, new Struct(in).put("a", "{\"a\":3,\"b\":\"z\"}"))).valueSchema(),
                "back to the first shape: its schema again");
    }

    @Test
    void arrayElementsShareOneSchemaWithoutRounding() {
        Schema in = SchemaBuilder.struct().field("j", Schema.STRING_SCHEMA).build();
        JqTransform<SourceRecord> t = transform(".j | fromjson");
        java.util.function.Function<String, SourceRecord> run = j -> t.apply(record(in, new Struct(in).put("j", j)));
        assertEquals(Schema.Type.INT64, run.apply("[1, 9007199254740993]").valueSchema().valueSchema().type());
        assertEquals(List.of(1L, 9_007_199_254_740_993L), run.apply("[1, 9007199254740993]").value());
        assertEquals(List.of(1.0, 1.5), run.apply("[1, 1.5]").value(), "an int and a double: FLOAT64, exactly");
        Schema decimals = SchemaBuilder.struct().field("i", Schema.INT32_SCHEMA).field("d", Decimal.schema(2)).build();
        assertEquals(List.of(new BigDecimal("1.00"), new BigDecimal("2.50")), transform("[.i, .d]").apply(record(
                decimals, new Struct(decimals).put("i", 1).put("d", new BigDecimal("2.50")))).value());
        assertEquals(Schema.Type.STRING, run.apply("[null, \"a\"]").valueSchema().valueSchema().type());
        Struct second = (Struct) ((List<?>) run.apply("[{\"a\":null},{\"a\":1}]").value()).get(1);
        assertEquals(1, second.get("a"));
        assertEquals(Schema.Type.INT32, second.schema().field("a").schema().type());
        DataException mixed = assertThrows(DataException.class, () -> run.apply("[\"a\", 1]"));
        assertTrue(mixed.getMessage().contains("without rounding"), mixed.getMessage());
        assertThrows(DataException.class, () -> run.apply("[9007199254740993, 1.5]"), "a long and a double");
        assertThrows(DataException.class, () -> run.apply("[{\"a\":1},{\"b\":1}]"), "structs of other fields");
    }
}
