package dev.rockpool.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.filter.TimeFormat;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Connect data to JSON trees (for the sink's message data and for jq), and JSON trees back to schemaless Connect
 * data. Numbers keep their exact value
 * and Java type both ways (an Integer is an IntNode and comes back an Integer, a Decimal a BigDecimal); types JSON
 * cannot tell apart travel in {@link ConnectValueNodes}.
 *
 * <table>
 * <caption>Connect to JSON</caption>
 * <tr><th>Connect</th><th>JSON seen by jq</th></tr>
 * <tr><td>{@code Struct}, {@code Map}</td><td>object (fields in schema order; map keys as text)</td></tr>
 * <tr><td>{@code List}</td><td>array</td></tr>
 * <tr><td>INT8 .. INT64, FLOAT32, FLOAT64, Decimal</td><td>number, exactly</td></tr>
 * <tr><td>bytes</td><td>base64 string, as JsonConverter writes them</td></tr>
 * <tr><td>Timestamp, Date, Time</td><td>RFC 3339 UTC, {@code yyyy-MM-dd}, {@code HH:mm:ss.SSS} strings</td></tr>
 * </table>
 */
public final class ConnectJson {
    /** Keeps BigDecimals as they are: 1.50 stays 1.50. */
    public static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    private ConnectJson() {
    }

    /**
     * The JSON form of a Connect value with its schema (null when schemaless); a {@link DataException} for what JSON
     * cannot hold (a NaN or infinite float, a map key that is not a string, number or boolean, an unknown type).
     */
    public static JsonNode toJson(Schema schema, Object value) {
        if (value == null) {
            return schema != null && schema.defaultValue() != null ? toJson(schema, schema.defaultValue())
                    : NODES.nullNode();
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
                node.set(field.name(), toJson(field.schema(), struct.get(field)));
            }
            return node;
        }
        if (value instanceof Map) {
            Schema values = schema != null && schema.type() == Schema.Type.MAP ? schema.valueSchema() : null;
            ObjectNode node = NODES.objectNode();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                node.set(key(e.getKey()), toJson(values, e.getValue()));
            }
            return node;
        }
        if (value instanceof Collection) {
            Schema elements = schema != null && schema.type() == Schema.Type.ARRAY ? schema.valueSchema() : null;
            ArrayNode array = NODES.arrayNode();
            for (Object element : (Collection<?>) value) {
                array.add(toJson(elements, element));
            }
            return array;
        }
        return scalar(value);
    }

    private static JsonNode scalar(Object value) {
        if (value instanceof String) {
            return NODES.textNode((String) value);
        }
        if (value instanceof Boolean) {
            return NODES.booleanNode((Boolean) value);
        }
        if (value instanceof Number) {
            return number((Number) value);
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            return bytes(value);
        }
        if (value instanceof java.util.Date) {
            return timestamp((java.util.Date) value);
        }
        throw new DataException("cannot convert " + value.getClass().getName() + " to JSON");
    }

    private static JsonNode number(Number value) {
        if (value instanceof Byte) {
            return new ConnectValueNodes.Int8((Byte) value);
        }
        if (value instanceof Short) {
            return NODES.numberNode((Short) value);
        }
        if (value instanceof Integer) {
            return NODES.numberNode((Integer) value);
        }
        if (value instanceof Long) {
            return NODES.numberNode((Long) value);
        }
        if (value instanceof Float || value instanceof Double) {
            double d = value.doubleValue();
            if (!Double.isFinite(d)) {
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
        throw new DataException("cannot convert " + value.getClass().getName() + " to JSON");
    }

    private static JsonNode bytes(Object value) {
        byte[] bytes;
        if (value instanceof ByteBuffer) {
            ByteBuffer buffer = ((ByteBuffer) value).slice();
            bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
        } else {
            bytes = (byte[]) value;
        }
        return new ConnectValueNodes.Text(Base64.getEncoder().encodeToString(bytes), Schema.OPTIONAL_BYTES_SCHEMA,
                value);
    }

    private static JsonNode timestamp(java.util.Date value) {
        return new ConnectValueNodes.Text(TimeFormat.format(value.getTime() * 1_000_000L),
                Timestamp.builder().optional().build(), value);
    }

    /** Connect's logical types in their readable JSON form; null if the name is not one of them. */
    private static JsonNode logical(String name, Object value) {
        if (Decimal.LOGICAL_NAME.equals(name) && value instanceof BigDecimal) {
            return NODES.numberNode((BigDecimal) value);
        }
        if (!(value instanceof java.util.Date)) {
            return null;
        }
        java.util.Date date = (java.util.Date) value;
        Instant instant = Instant.ofEpochMilli(date.getTime());
        switch (name) {
            case Timestamp.LOGICAL_NAME:
                return timestamp(date);
            case Date.LOGICAL_NAME:
                return new ConnectValueNodes.Text(LocalDate.ofInstant(instant, ZoneOffset.UTC).toString(),
                        Date.builder().optional().build(), value);
            case Time.LOGICAL_NAME:
                return new ConnectValueNodes.Text(TIME_OF_DAY.format(LocalTime.ofInstant(instant, ZoneOffset.UTC)),
                        Time.builder().optional().build(), value);
            default:
                return null;
        }
    }

    /** A JSON object key: strings as they are, numbers and booleans as their text. */
    private static String key(Object key) {
        if (key instanceof String) {
            return (String) key;
        }
        if (key instanceof Number || key instanceof Boolean) {
            return String.valueOf(key);
        }
        throw new DataException("a map key is a " + (key == null ? "null" : key.getClass().getName())
                + ": JSON object keys are strings");
    }

    /**
     * Schemaless Connect data for a JSON tree: objects to maps (field order kept), arrays to lists, numbers to the
     * Java type of their node, values that came from Connect to what they were. A number with no exact schemaless
     * form (a BigDecimal that is not a double's JSON text, an integer beyond a long) is bad data, never rounded.
     */
    public static Object toSchemaless(JsonNode node) {
        if (node instanceof ConnectValueNodes.Typed) {
            return ((ConnectValueNodes.Typed) node).connectValue();
        }
        switch (node.getNodeType()) {
            case OBJECT:
                Map<String, Object> map = new LinkedHashMap<>(Math.max(4, node.size() * 2));
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.put(e.getKey(), toSchemaless(e.getValue()));
                }
                return map;
            case ARRAY:
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode element : node) {
                    list.add(toSchemaless(element));
                }
                return list;
            case STRING:
                return node.textValue();
            case BOOLEAN:
                return node.booleanValue();
            case NUMBER:
                return schemalessNumber(node);
            default:
                return null;
        }
    }

    private static Object schemalessNumber(JsonNode node) {
        if (node.isBigDecimal()) {
            BigDecimal exact = node.decimalValue();
            double d = exact.doubleValue();
            if (Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(exact) == 0) {
                return d;
            }
            throw new DataException("the number " + exact + " has no exact schemaless Connect form (a double would "
                    + "round it); give the record a schema, or a bytes or string value");
        }
        if (node.isBigInteger()) {
            if (node.canConvertToLong()) {
                return node.longValue();
            }
            throw new DataException("the number " + node.bigIntegerValue() + " has no exact schemaless Connect form "
                    + "(beyond a long); give the record a schema, or a bytes or string value");
        }
        return node.numberValue();
    }
}
