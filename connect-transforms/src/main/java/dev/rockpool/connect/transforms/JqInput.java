package dev.rockpool.connect.transforms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.rockpool.connect.ConnectJson;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
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
    private static final ObjectReader READER = JsonTrees.MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JqInput() {
    }

    /** The form of a key or value, which its replacement takes too. */
    enum Form {
        /** JSON text in a String. */
        STRING,
        /** JSON text in UTF-8 bytes ({@code byte[]} or {@code ByteBuffer}; replaced by a {@code byte[]}). */
        BYTES,
        /** Connect data without a schema. */
        SCHEMALESS,
        /** Connect data with a schema: the replacement gets one inferred from it. */
        SCHEMA;

        /** The form of a value; a null one takes its form from its schema. */
        static Form of(Schema schema, Object value) {
            if (value instanceof String) {
                return STRING;
            }
            if (value instanceof byte[] || value instanceof ByteBuffer) {
                return BYTES;
            }
            if (schema == null) {
                return SCHEMALESS;
            }
            if (value == null && (schema.type() == Schema.Type.STRING || schema.type() == Schema.Type.BYTES)) {
                return schema.type() == Schema.Type.STRING ? STRING : BYTES;
            }
            return SCHEMA;
        }
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
