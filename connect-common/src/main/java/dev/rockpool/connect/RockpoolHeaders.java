package dev.rockpool.connect;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
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
 * The record headers rockpool writes and reads, and how tags travel in one: the source writes {@code rockpool.tags}
 * as a JSON array of strings; the sink reads it back whatever the worker's {@code header.converter} made of it (a
 * String with StringConverter, a Connect list with the default SimpleHeaderConverter). A string that is not a JSON
 * array is one tag; a number or boolean is one tag (its text).
 */
public final class RockpoolHeaders {
    /** The pool name. */
    public static final String POOL = "rockpool.pool";
    /** The message seq (INT64). */
    public static final String SEQ = "rockpool.seq";
    /** The message time, RFC 3339. */
    public static final String TIME = "rockpool.time";
    /** The tags, as JSON array text. */
    public static final String TAGS = "rockpool.tags";

    private RockpoolHeaders() {
    }

    /** The tags as compact JSON array text; built by hand because it runs for every record (most have no tags). */
    public static String encodeTags(List<String> tags) {
        if (tags.isEmpty()) {
            return "[]";
        }
        StringBuilder json = new StringBuilder(16 * tags.size()).append('[');
        for (String tag : tags) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(JsonStringEncoder.getInstance().quoteAsString(tag)).append('"');
        }
        return json.append(']').toString();
    }

    /** {@code staticTags} followed by the tags of every header named {@code headerName} (null: none), in order. */
    public static List<String> tags(List<String> staticTags, Headers headers, String headerName) {
        if (headerName == null || headers == null || headers.isEmpty()) {
            return staticTags;
        }
        Iterator<Header> it = headers.allWithName(headerName);
        if (!it.hasNext()) {
            return staticTags;
        }
        List<String> tags = new ArrayList<>(staticTags);
        while (it.hasNext()) {
            decodeTags(tags, it.next().value(), headerName);
        }
        return tags;
    }

    /** Adds the tags of one header value to {@code tags}; a {@link DataException} for a value that holds no tags. */
    public static void decodeTags(List<String> tags, Object value, String headerName) {
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
        try (JsonParser parser = JsonData.FACTORY.createParser("\"" + element + "\"")) {
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
            JsonNode node = JsonTrees.MAPPER.readTree(text);
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
        String what = value == null ? "null" : value instanceof Collection ? "an array"
                : "a " + value.getClass().getName();
        throw new DataException("header " + headerName + " holds " + what + ": tags are strings");
    }
}
