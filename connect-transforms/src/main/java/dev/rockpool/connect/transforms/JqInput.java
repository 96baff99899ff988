package dev.rockpool.connect.transforms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.rockpool.pool.JsonData;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A record's key or value as jq sees it. A string, {@code byte[]} or {@code ByteBuffer} is JSON text (what the
 * StringConverter, the ByteArrayConverter and most sources give) and is parsed, exactly: decimals stay as written;
 * any other Connect data (schemaless maps and lists, structs, scalars) is given in its JSON form by
 * {@link ConnectJson}.
 */
final class JqInput {
    /** rockpool's own parser settings (exact decimals, duplicate keys refused), and nothing after the value. */
    private static final ObjectReader READER = JsonData.MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JqInput() {
    }

    /** True if the value is JSON text: jq's output goes back as JSON text of the same Java type. */
    static boolean isText(Object value) {
        return value instanceof String || value instanceof byte[] || value instanceof ByteBuffer;
    }

    /** The value as a JSON tree; a {@link DataException} if JSON text does not parse. */
    static JsonNode read(Schema schema, Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        try {
            if (value instanceof byte[]) {
                return parsed(READER.readTree((byte[]) value));
            }
            if (value instanceof String) {
                return parsed(READER.readTree((String) value));
            }
            if (value instanceof ByteBuffer) {
                ByteBuffer buffer = ((ByteBuffer) value).slice();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return parsed(READER.readTree(bytes));
            }
        } catch (JsonProcessingException e) {
            throw new DataException("not JSON text: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DataException("not JSON text: " + e.getMessage(), e);
        }
        return ConnectJson.toJson(schema, value);
    }

    private static JsonNode parsed(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            throw new DataException("not JSON text: empty");
        }
        return node;
    }
}
