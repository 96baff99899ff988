package dev.rockpool.filter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.PoolException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The JSON shape of a failure, the same wherever it is shown (plasmite's error envelope): {@code {"error":{"kind":
 * "NotFound","message":"...","hint"?,"path"?,"seq"?,"offset"?}}}, kind being an {@link ErrorKind#label()}.
 */
public final class ErrorJson {
    private ErrorJson() {
    }

    /** The error envelope of an exception, as a tree (the fields of {@link #writeFields}). */
    public static ObjectNode of(PoolException e) {
        ByteArrayOutputStream json = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JsonData.FACTORY.createGenerator(json)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            writeFields(g, e, e.hint());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        try {
            return (ObjectNode) JsonTrees.MAPPER.readTree(json.toByteArray());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Writes the fields of the {@code "error"} object: kind, message, then hint, path, seq and offset where there are
     * any. Streaming, so that a CLI error costs no object mapper; the one definition of the shape.
     */
    public static void writeFields(JsonGenerator g, PoolException e, String hint) throws IOException {
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
