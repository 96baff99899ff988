package dev.rockpool.connect.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.PoolException;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a record value into message data: one JSON object.
 *
 * <table>
 * <caption>Value conversion</caption>
 * <tr><th>value</th><th>data</th></tr>
 * <tr><td>{@code Struct}</td><td>an object, field by field, following the schema</td></tr>
 * <tr><td>{@code Map} (schemaless JSON)</td><td>an object; keys must be strings, numbers or booleans</td></tr>
 * <tr><td>{@code String}</td><td>parsed as JSON text</td></tr>
 * <tr><td>{@code byte[]}, {@code ByteBuffer}</td><td>parsed as UTF-8 JSON</td></tr>
 * <tr><td>anything else, null included</td><td>{@link DataException}: bad data</td></tr>
 * </table>
 *
 * Inside a value: bytes become base64 strings (as JsonConverter writes them), {@code Decimal} an exact JSON number,
 * {@code Timestamp} an RFC 3339 UTC string, {@code Date} {@code yyyy-MM-dd}, {@code Time} {@code HH:mm:ss.SSS},
 * arrays arrays, maps with string keys objects. A NaN or infinite float has no JSON form: bad data.
 */
final class RecordValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    private RecordValues() {
    }

    /** The data of a value; a {@link DataException} saying why if it is not one JSON object. */
    static JsonData toData(Schema schema, Object value) {
        if (value == null) {
            throw new DataException("the value is null (a tombstone): a pool message needs a JSON object");
        }
        try {
            if (value instanceof String) {
                return JsonData.parse((String) value);
            }
            if (value instanceof byte[]) {
                return JsonData.parse((byte[]) value);
            }
            if (value instanceof ByteBuffer) {
                ByteBuffer buffer = ((ByteBuffer) value).slice();
                if (buffer.hasArray()) {
                    return JsonData.parse(buffer.array(), buffer.arrayOffset(), buffer.remaining());
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return JsonData.parse(bytes);
            }
        } catch (PoolException e) {
            throw new DataException(e.getMessage());
        }
        if (value instanceof Struct || value instanceof Map) {
            return JsonData.of((ObjectNode) toNode(schema, value));
        }
        throw new DataException("the value is " + describe(value) + ": a pool message needs a JSON object");
    }

    /** The data as a tree, for the filter: parsed again from the compact bytes. */
    static ObjectNode tree(JsonData data) {
        try {
            return (ObjectNode) JsonData.MAPPER.readTree(data.bytes());
        } catch (java.io.IOException e) {
            throw new DataException("cannot read back the converted value: " + e.getMessage(), e);
        }
    }

    /** Converts a Connect value (with its schema if any) to a Jackson node. */
    static JsonNode toNode(Schema schema, Object value) {
        if (value == null) {
            if (schema != null && schema.defaultValue() != null) {
                return toNode(schema, schema.defaultValue());
            }
            return NODES.nullNode();
        }
        if (schema != null && schema.name() != null) {
            JsonNode logical = logical(schema.name(), value);
            if (logical != null) {
                return logical;
            }
        }
        if (value instanceof Struct) {
            Struct struct = (Struct) value;
            ObjectNode node = NODES.objectNode();
            for (Field field : struct.schema().fields()) {
                node.set(field.name(), toNode(field.schema(), struct.get(field)));
            }
            return node;
        }
        if (value instanceof Map) {
            Schema valueSchema = schema != null && schema.type() == Schema.Type.MAP ? schema.valueSchema() : null;
            ObjectNode node = NODES.objectNode();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                node.set(key(e.getKey()), toNode(valueSchema, e.getValue()));
            }
            return node;
        }
        if (value instanceof Collection) {
            Schema elementSchema = schema != null && schema.type() == Schema.Type.ARRAY ? schema.valueSchema() : null;
            ArrayNode array = NODES.arrayNode();
            for (Object element : (Collection<?>) value) {
                array.add(toNode(elementSchema, element));
            }
            return array;
        }
        if (value instanceof String) {
            return NODES.textNode((String) value);
        }
        if (value instanceof Boolean) {
            return NODES.booleanNode((Boolean) value);
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Float || value instanceof Double) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new DataException("the value holds " + d + ", which JSON cannot represent");
            }
            return value instanceof Float ? NODES.numberNode((Float) value) : NODES.numberNode(d);
        }
        if (value instanceof BigDecimal) {
            return NODES.numberNode((BigDecimal) value);
        }
        if (value instanceof BigInteger) {
            return NODES.numberNode((BigInteger) value);
        }
        if (value instanceof byte[]) {
            return NODES.textNode(Base64.getEncoder().encodeToString((byte[]) value));
        }
        if (value instanceof ByteBuffer) {
            ByteBuffer buffer = ((ByteBuffer) value).slice();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof java.util.Date) {
            return NODES.textNode(TimeFormat.format(((java.util.Date) value).getTime() * 1_000_000L));
        }
        throw new DataException("cannot convert " + value.getClass().getName() + " to JSON");
    }

    /** Connect's logical types, in their readable JSON form; null if the name is not one of them. */
    private static JsonNode logical(String name, Object value) {
        switch (name) {
            case Decimal.LOGICAL_NAME:
                return value instanceof BigDecimal ? NODES.numberNode((BigDecimal) value) : null;
            case Timestamp.LOGICAL_NAME:
                return value instanceof java.util.Date
                        ? NODES.textNode(TimeFormat.format(((java.util.Date) value).getTime() * 1_000_000L)) : null;
            case Date.LOGICAL_NAME:
                return value instanceof java.util.Date ? NODES.textNode(LocalDate.ofInstant(
                        Instant.ofEpochMilli(((java.util.Date) value).getTime()), ZoneOffset.UTC).toString()) : null;
            case Time.LOGICAL_NAME:
                return value instanceof java.util.Date ? NODES.textNode(TIME_OF_DAY.format(LocalTime.ofInstant(
                        Instant.ofEpochMilli(((java.util.Date) value).getTime()), ZoneOffset.UTC))) : null;
            default:
                return null;
        }
    }

    /** A JSON object key: strings as they are, numbers and booleans as their text; anything else is bad data. */
    private static String key(Object key) {
        if (key instanceof String) {
            return (String) key;
        }
        if (key instanceof Number || key instanceof Boolean) {
            return String.valueOf(key);
        }
        throw new DataException("a map key is " + describe(key) + ": JSON object keys are strings");
    }

    /** A short description of a value's kind for error messages. */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Collection) {
            return "an array (" + value.getClass().getSimpleName() + ")";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return "a scalar (" + value.getClass().getSimpleName() + " " + value + ")";
        }
        return "a " + value.getClass().getName();
    }
}
