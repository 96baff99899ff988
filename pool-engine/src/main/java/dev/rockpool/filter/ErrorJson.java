package dev.rockpool.filter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.PoolException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The JSON shape of a failure, the same wherever it is shown (plasmite's error envelope): {@code {"error":{"kind":
 * "NotFound","message":"...","hint"?,"path"?,"seq"?,"offset"?}}}, kind being an {@link ErrorKind#label()}.
 */
public final class ErrorJson {
    private ErrorJson() {
    }

    /** The error envelope of an exception. */
    public static ObjectNode of(PoolException e) {
        try (TokenBuffer tokens = new TokenBuffer(JsonData.MAPPER, false)) {
            write(tokens, e, e.hint(), Map.of());
            return JsonData.MAPPER.readTree(tokens.asParser());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * Writes the error envelope of {@code e} with a generator (no tree): {@code hint} in place of the exception's own
     * (null: none), then {@code more} fields of the front end's (a record and line number, say), absent fields
     * omitted.
     */
    public static void write(JsonGenerator g, PoolException e, String hint, Map<String, Long> more)
            throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("error");
        g.writeStringField("kind", e.kind().label());
        g.writeStringField("message", String.valueOf(e.getMessage()));
        if (hint != null) {
            g.writeStringField("hint", hint);
        }
        if (e.path() != null) {
            g.writeStringField("path", e.path().toString());
        }
        if (e.seq() != null) {
            g.writeNumberField("seq", e.seq());
        }
        if (e.offset() != null) {
            g.writeNumberField("offset", e.offset());
        }
        for (Map.Entry<String, Long> field : more.entrySet()) {
            g.writeNumberField(field.getKey(), field.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The exception an error envelope describes, or null if {@code body} is not one. */
    public static PoolException parse(JsonNode body) {
        JsonNode error = body == null ? null : body.get("error");
        if (error == null || !error.isObject() || !error.path("kind").isTextual()) {
            return null;
        }
        return new PoolException(ErrorKind.fromLabel(error.get("kind").asText()),
                error.path("message").asText("error"), error.hasNonNull("path") ? Path.of(error.get("path").asText())
                : null, error.hasNonNull("seq") ? error.get("seq").asLong() : null,
                error.hasNonNull("offset") ? error.get("offset").asLong() : null,
                error.hasNonNull("hint") ? error.get("hint").asText() : null, null);
    }
}
