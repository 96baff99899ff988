package dev.rockpool.pool;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The data of a message: a JSON object as compact UTF-8 text. Built only through the factories, which validate and
 * compact (or, for {@link #trusted}, take bytes that are already known to be a compact object, such as the data of
 * another pool's message), so an append never stores anything else.
 */
public final class JsonData {
    /** Shared, thread-safe mapper; duplicate keys are refused so stored data means one thing. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final byte[] bytes;

    private JsonData(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Parses JSON text; a Usage error if it is not exactly one JSON object. */
    public static JsonData parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses UTF-8 JSON; a Usage error if it is not exactly one JSON object. */
    public static JsonData parse(byte[] json) {
        return parse(json, 0, json.length);
    }

    /** Parses UTF-8 JSON in {@code json[offset, offset+length)}; a Usage error if it is not exactly one object. */
    public static JsonData parse(byte[] json, int offset, int length) {
        JsonNode node;
        try (JsonParser parser = MAPPER.createParser(json, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new PoolException(ErrorKind.USAGE, "empty input: expected a JSON object");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new PoolException(ErrorKind.USAGE, "data must be a JSON object, got " + describe(first));
            }
            node = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                throw new PoolException(ErrorKind.USAGE, "trailing content after the JSON object at column "
                        + parser.currentLocation().getColumnNr());
            }
        } catch (JsonProcessingException e) {
            throw new PoolException(ErrorKind.USAGE, "invalid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new PoolException(ErrorKind.USAGE, "invalid JSON: " + e.getMessage());
        }
        return of((ObjectNode) node);
    }

    /** The compact serialisation of a Jackson object node. */
    public static JsonData of(ObjectNode node) {
        try {
            return new JsonData(MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new PoolException(ErrorKind.USAGE, "cannot serialise data: " + e.getOriginalMessage());
        }
    }

    /**
     * Wraps bytes the caller guarantees to be one compact UTF-8 JSON object (e.g. read from a pool). Not copied: the
     * caller must not change them. Use {@link #parse} for anything from outside.
     */
    public static JsonData trusted(byte[] compactObject) {
        if (compactObject.length < 2 || compactObject[0] != '{') {
            throw new PoolException(ErrorKind.USAGE, "data must be a JSON object");
        }
        return new JsonData(compactObject);
    }

    /** The compact UTF-8 JSON bytes (not a copy: do not change). */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case START_ARRAY: return "an array";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            default: return token.asString() == null ? token.name() : token.asString();
        }
    }
}
