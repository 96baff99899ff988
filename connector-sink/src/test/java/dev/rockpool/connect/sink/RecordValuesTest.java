package dev.rockpool.connect.sink;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The value conversion table and the tags header encodings. */
class RecordValuesTest {
    private static String data(Schema schema, Object value) {
        return RecordValues.toData(schema, value).toString();
    }

    @Test
    void textAndBytesAreParsedAndCompacted() {
        assertEquals("{\"a\":[1,2]}", data(null, " {\"a\": [1, 2]} \n"));
        assertEquals("{\"a\":1}", data(Schema.BYTES_SCHEMA, "{\"a\" : 1}".getBytes(StandardCharsets.UTF_8)));
        ByteBuffer window = ByteBuffer.wrap("xx{\"b\":2}yy".getBytes(StandardCharsets.UTF_8), 2, 7);
        assertEquals("{\"b\":2}", data(null, window));
        assertEquals("{\"s\":\"héllo\"}", data(Schema.STRING_SCHEMA, "{\"s\":\"héllo\"}"));
    }

    @Test
    void mapsKeepTheirOrderAndNesting() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", List.of(1L, "two", true));
        inner.put("n", null);
        Map<Object, Object> outer = new LinkedHashMap<>();
        outer.put("b", 1.5);
        outer.put("a", inner);
        outer.put(7, new BigDecimal("12.340"));
        assertEquals("{\"b\":1.5,\"a\":{\"z\":[1,\"two\",true],\"n\":null},\"7\":12.340}", data(null, outer));
    }

    @Test
    void structsFollowTheirSchema() {
        Schema point = SchemaBuilder.struct().name("point").field("x", Schema.INT32_SCHEMA)
                .field("y", Schema.OPTIONAL_INT32_SCHEMA).build();
        Schema schema = SchemaBuilder.struct()
                .field("id", Schema.INT64_SCHEMA)
                .field("f", Schema.FLOAT32_SCHEMA)
                .field("point", point)
                .field("points", SchemaBuilder.array(point).build())
                .field("counts", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT16_SCHEMA).build())
                .field("blob", Schema.BYTES_SCHEMA)
                .field("price", Decimal.schema(2))
                .field("day", Date.SCHEMA)
                .field("clock", Time.SCHEMA)
                .field("at", Timestamp.SCHEMA)
                .field("dflt", SchemaBuilder.string().optional().defaultValue("d").build())
                .build();
        Struct p = new Struct(point).put("x", 1);
        Struct s = new Struct(schema)
                .put("id", 7L)
                .put("f", 0.25f)
                .put("point", p)
                .put("points", List.of(p, new Struct(point).put("x", 2).put("y", 3)))
                .put("counts", Map.of("k", (short) 4))
                .put("blob", new byte[] {1, 2, 3})
                .put("price", new BigDecimal("12.34"))
                .put("day", new java.util.Date(86_400_000L * 20_000))
                .put("clock", new java.util.Date(3_723_004L))
                .put("at", new java.util.Date(1_700_000_000_123L));
        assertEquals("{\"id\":7,\"f\":0.25,\"point\":{\"x\":1,\"y\":null},"
                + "\"points\":[{\"x\":1,\"y\":null},{\"x\":2,\"y\":3}],\"counts\":{\"k\":4},\"blob\":\"AQID\","
                + "\"price\":12.34,\"day\":\"2024-10-04\",\"clock\":\"01:02:03.004\","
                + "\"at\":\"2023-11-14T22:13:20.123Z\",\"dflt\":\"d\"}", data(schema, s));
    }

    @Test
    void anythingButAnObjectIsBadData() {
        assertBad(null, null, "tombstone");
        assertBad(Schema.STRING_SCHEMA, "[1,2]", "got an array");
        assertBad(Schema.STRING_SCHEMA, "42", "got a number");
        assertBad(Schema.STRING_SCHEMA, "{\"a\":", "invalid JSON");
        assertBad(Schema.STRING_SCHEMA, "{} {}", "trailing content");
        assertBad(Schema.STRING_SCHEMA, "", "empty");
        assertBad(Schema.INT64_SCHEMA, 42L, "a scalar (Long 42)");
        assertBad(null, new ArrayList<>(List.of(1)), "an array");
        assertBad(null, Map.of("x", Double.NaN), "NaN");
        assertBad(null, Map.of(List.of(1), 1), "JSON object keys are strings");
    }

    private static void assertBad(Schema schema, Object value, String reason) {
        DataException e = assertThrows(DataException.class, () -> RecordValues.toData(schema, value));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
