package dev.rockpool.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;

import java.nio.file.Path;

/**
 * The JSON shape of a failure, the same wherever it is shown (plasmite's error envelope): {@code {"error":{"kind":
 * "NotFound","message":"...","hint"?,"path"?,"seq"?,"offset"?}}}, kind being an {@link ErrorKind#label()}.
 */
public final class ErrorJson {
    private ErrorJson() {
    }

    /** The error envelope of an exception. */
    public static ObjectNode of(PoolException e) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("kind", e.kind().label());
        error.put("message", String.valueOf(e.getMessage()));
        if (e.hint() != null) {
            error.put("hint", e.hint());
        }
        if (e.path() != null) {
            error.put("path", e.path().toString());
        }
        if (e.seq() != null) {
            error.put("seq", e.seq());
        }
        if (e.offset() != null) {
            error.put("offset", e.offset());
        }
        return root;
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
