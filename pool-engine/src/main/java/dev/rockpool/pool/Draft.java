package dev.rockpool.pool;

import java.util.List;
import java.util.Objects;

/**
 * A message to append: tags, an optional {@link Origin}, and the data. The engine assigns seq and time.
 *
 * @param tags   the tags, in order (UTF-8 strings, each at most 65535 bytes)
 * @param origin where the message was copied from, or null
 * @param data   the JSON object
 */
public record Draft(List<String> tags, Origin origin, JsonData data) {
    public Draft {
        tags = List.copyOf(tags);
        Objects.requireNonNull(data, "data");
    }

    /** A message with tags and no origin. */
    public static Draft of(JsonData data, List<String> tags) {
        return new Draft(tags, null, data);
    }

    /** Parses JSON text as the data; a Usage error unless it is one JSON object. */
    public static Draft of(String json, String... tags) {
        return new Draft(List.of(tags), null, JsonData.parse(json));
    }
}
