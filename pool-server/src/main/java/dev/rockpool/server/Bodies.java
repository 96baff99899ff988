package dev.rockpool.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.PoolException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON request bodies of the protocol, read with Jackson's streaming parser: unknown fields are skipped (the
 * protocol grows by adding fields), a field of the wrong type is a Usage error naming it.
 */
final class Bodies {
    private Bodies() {
    }

    /** {@code POST /v0/pools}: {@code {"pool":NAME,"size_bytes"?:N,"index_capacity"?:N}}. */
    record Create(String pool, Long sizeBytes, Long indexCapacity) {
    }

    /** {@code POST /v0/pools/{pool}/append}: {@code {"data":{...},"tags"?:[...],"durability"?:"fast"|"flush"}}. */
    record Append(JsonData data, List<String> tags, Durability durability) {
    }

    static Create create(byte[] body) {
        String pool = null;
        Long size = null;
        Long index = null;
        try (JsonParser p = object(body)) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "pool": pool = text(p, value, field); break;
                    case "size_bytes": size = number(p, value, field); break;
                    case "index_capacity": index = number(p, value, field); break;
                    default: p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw invalid(e);
        }
        return new Create(required(pool, "pool"), size, index);
    }

    /** {@code POST /v0/pools/open}: {@code {"pool":NAME}}. */
    static String open(byte[] body) {
        String pool = null;
        try (JsonParser p = object(body)) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("pool")) {
                    pool = text(p, value, field);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw invalid(e);
        }
        return required(pool, "pool");
    }

    static Append append(byte[] body) {
        JsonData data = null;
        List<String> tags = List.of();
        Durability durability = Durability.FAST;
        try (JsonParser p = object(body)) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "data": data = JsonData.read(p); break;
                    case "tags": tags = tags(p, value); break;
                    case "durability":
                        durability = value == JsonToken.VALUE_NULL ? Durability.FAST
                                : Durability.parse(text(p, value, field));
                        break;
                    default: p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw invalid(e);
        }
        return new Append(required(data, "data"), tags, durability);
    }

    /**
     * A batch: JSON objects one after another (JSON Lines; any whitespace between them), each the data of one
     * message. Empty is a Usage error, as is anything that is not an object (naming the record).
     */
    static List<JsonData> batch(byte[] body) {
        List<JsonData> records = new ArrayList<>();
        try (JsonParser p = JsonTrees.MAPPER.createParser(body)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                try {
                    records.add(JsonData.read(p));
                } catch (PoolException e) {
                    throw new PoolException(ErrorKind.USAGE, "record " + (records.size() + 1) + " (line "
                            + p.currentLocation().getLineNr() + "): " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new PoolException(ErrorKind.USAGE, "record " + (records.size() + 1) + ": " + invalid(e).getMessage());
        }
        if (records.isEmpty()) {
            throw new PoolException(ErrorKind.USAGE, "empty batch: expected JSON objects, one per line");
        }
        return records;
    }

    private static JsonParser object(byte[] body) throws IOException {
        JsonParser p = JsonTrees.MAPPER.createParser(body);
        if (p.nextToken() != JsonToken.START_OBJECT) {
            p.close();
            throw new PoolException(ErrorKind.USAGE, "request body must be a JSON object");
        }
        return p;
    }

    private static List<String> tags(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (value != JsonToken.START_ARRAY) {
            throw new PoolException(ErrorKind.USAGE, "tags must be an array of strings");
        }
        List<String> tags = new ArrayList<>();
        while (p.nextToken() == JsonToken.VALUE_STRING) {
            tags.add(p.getText());
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new PoolException(ErrorKind.USAGE, "tags must be an array of strings");
        }
        return tags;
    }

    private static String text(JsonParser p, JsonToken value, String field) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw new PoolException(ErrorKind.USAGE, field + " must be a string");
        }
        return p.getText();
    }

    private static Long number(JsonParser p, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new PoolException(ErrorKind.USAGE, field + " must be a whole number");
        }
        return p.getLongValue();
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new PoolException(ErrorKind.USAGE, "missing field: " + field);
        }
        return value;
    }

    private static PoolException invalid(IOException e) {
        return new PoolException(ErrorKind.USAGE, "invalid JSON body: " + e.getMessage().split("\n")[0]);
    }
}
