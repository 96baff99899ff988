package dev.rockpool.connect.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.connect.ConnectJson;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.PoolException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

import java.nio.ByteBuffer;
import java.util.Collection;
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
 * Inside a value ({@link ConnectJson}, as the jq transforms see Connect data too): bytes become base64 strings (as
 * JsonConverter writes them), {@code Decimal} an exact JSON number, {@code Timestamp} an RFC 3339 UTC string,
 * {@code Date} {@code yyyy-MM-dd}, {@code Time} {@code HH:mm:ss.SSS}, arrays arrays, maps with string keys objects.
 * A NaN or infinite float has no JSON form: bad data.
 */
final class RecordValues {
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
            return JsonData.of((ObjectNode) ConnectJson.toJson(schema, value));
        }
        throw new DataException("the value is " + describe(value) + ": a pool message needs a JSON object");
    }

    /** The data as a tree, for the filter: parsed again from the compact bytes. */
    static ObjectNode tree(JsonData data) {
        try {
            return (ObjectNode) JsonTrees.MAPPER.readTree(data.bytes());
        } catch (java.io.IOException e) {
            throw new DataException("cannot read back the converted value: " + e.getMessage(), e);
        }
    }

    /** A short description of a value's kind for error messages. */
    private static String describe(Object value) {
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
