package dev.rockpool.connect.sink;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.JsonData;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * Reads tags from a record header. The rockpool source connector writes its tags as a JSON array of strings in
 * {@code rockpool.tags}; depending on the worker's {@code header.converter} the sink sees that as a String (e.g.
 * StringConverter) or already parsed into a Connect list (the default SimpleHeaderConverter), so both are accepted.
 * A string that is not a JSON array is one tag; a number or boolean is one tag (its text).
 */
final class HeaderTags {
    private HeaderTags() {
    }

    /** The static tags followed by the tags of every header named {@code headerName} (null: none). */
    static List<String> of(List<String> staticTags, Headers headers, String headerName) {
        if (headerName == null || headers == null || headers.isEmpty()) {
            return staticTags;
        }
        Iterator<Header> it = headers.allWithName(headerName);
        if (!it.hasNext()) {
            return staticTags;
        }
        List<String> tags = new ArrayList<>(staticTags);
        while (it.hasNext()) {
            addTags(tags, it.next().value(), headerName);
        }
        return tags;
    }

    /** Adds the tags of one header value. */
    static void addTags(List<String> tags, Object value, String headerName) {
        if (value == null) {
            return;
        }
        if (value instanceof byte[]) {
            addText(tags, new String((byte[]) value, StandardCharsets.UTF_8), headerName);
        } else if (value instanceof ByteBuffer) {
            ByteBuffer buffer = ((ByteBuffer) value).slice();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            addText(tags, new String(bytes, StandardCharsets.UTF_8), headerName);
        } else if (value instanceof String) {
            addText(tags, (String) value, headerName);
        } else if (value instanceof Collection) {
            for (Object element : (Collection<?>) value) {
                String tag = scalar(element, headerName);
                tags.add(element instanceof String ? unescape(tag) : tag);
            }
        } else {
            tags.add(scalar(value, headerName));
        }
    }

    /**
     * Connect's {@code SimpleHeaderConverter} parses the JSON-array text {@code ["a\"b"]} into a list but keeps each
     * string's escapes as they were on the wire ({@code a\"b}, not {@code a"b}); it also writes its own lists with
     * JSON escapes. So an element holding a backslash is read as the body of a JSON string when it is one; anything
     * else is kept as it is.
     */
    static String unescape(String element) {
        if (element.indexOf('\\') < 0) {
            return element;
        }
        try (JsonParser parser = JsonData.MAPPER.createParser("\"" + element + "\"")) {
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                return element;
            }
            String text = parser.getText();
            return parser.nextToken() == null ? text : element;
        } catch (IOException e) {
            return element;
        }
    }

    private static void addText(List<String> tags, String text, String headerName) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            JsonNode array = parseArray(t);
            if (array != null) {
                for (JsonNode element : array) {
                    if (element.isContainerNode() || element.isNull()) {
                        throw new DataException("header " + headerName + " holds " + element
                                + " in its array: a tag is a string");
                    }
                    tags.add(element.asText());
                }
                return;
            }
        }
        tags.add(text);
    }

    private static JsonNode parseArray(String text) {
        try {
            JsonNode node = JsonData.MAPPER.readTree(text);
            return node != null && node.isArray() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String scalar(Object value, String headerName) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Character) {
            return String.valueOf(value);
        }
        throw new DataException("header " + headerName + " holds " + RecordValues.describe(value)
                + ": tags are strings");
    }
}
