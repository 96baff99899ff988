package dev.rockpool.filter;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Origin;
import dev.rockpool.pool.PoolException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON shape of a message that users see and jq expressions run on:
 * {@code {"seq":1,"time":"2026-11-22T01:02:03.456789Z","meta":{"tags":[]},"data":{...}}}. {@code meta.tags} is always
 * present; {@code meta.origin} ({@code {"topic","partition","offset"}}) only for messages copied from Kafka.
 */
public final class Envelope {
    private static final byte[] SEQ_FIELD = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIME_FIELD = ",\"time\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] META_FIELD = "\",\"meta\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_FIELD = ",\"data\":".getBytes(StandardCharsets.US_ASCII);

    private Envelope() {
    }

    /** The envelope as a tree, for jq. Parses the data. */
    public static ObjectNode tree(Message m) {
        return tree(m.seq(), m.timeNanos(), m.tags(), m.origin(), data(m));
    }

    /**
     * The envelope of a message that is not in a pool yet, as the sink connector's filter sees a record: no
     * {@code seq}, and {@code time} as given ({@code null} when {@code timeNanos} is null).
     */
    public static ObjectNode tree(Long timeNanos, List<String> tags, Origin origin, JsonNode data) {
        return tree(null, timeNanos, tags, origin, data);
    }

    private static ObjectNode tree(Long seq, Long timeNanos, List<String> tags, Origin origin, JsonNode data) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (seq != null) {
            node.put("seq", seq);
        }
        if (timeNanos != null) {
            node.put("time", TimeFormat.format(timeNanos));
        } else {
            node.putNull("time");
        }
        ObjectNode meta = node.putObject("meta");
        ArrayNode tagArray = meta.putArray("tags");
        tags.forEach(tagArray::add);
        if (origin != null) {
            meta.putObject("origin").put("topic", origin.topic()).put("partition", origin.partition())
                    .put("offset", origin.offset());
        }
        node.set("data", data);
        return node;
    }

    /** The data of a message as a tree; Corrupt (seq and offset) for a forged frame (see {@link Message#dataTree}). */
    public static JsonNode data(Message m) {
        return m.dataTree();
    }

    /**
     * Writes the compact envelope without building a tree: the stored data bytes are copied as they are, after one
     * streaming check that they are a JSON object in UTF-8 ({@link Message#checkData}). Everything that can fail on a
     * damaged or forged frame (data, tags, origin) is checked before the first byte is written, so a Corrupt error
     * never leaves half an envelope in {@code out}; nothing here flushes {@code out}.
     */
    public static void write(Message m, OutputStream out) throws IOException {
        m.checkData();
        List<String> tags = m.tags();
        Origin origin = m.origin();
        out.write(SEQ_FIELD);
        out.write(Long.toString(m.seq()).getBytes(StandardCharsets.US_ASCII));
        out.write(TIME_FIELD);
        out.write(TimeFormat.format(m.timeNanos()).getBytes(StandardCharsets.US_ASCII));
        out.write(META_FIELD);
        if (origin != null || !writePlainTags(tags, out)) {
            try (JsonGenerator g = JsonData.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
                writeMeta(g, tags, origin);
            }
        }
        out.write(DATA_FIELD);
        out.write(m.payloadArray(), m.dataOffset(), m.dataLength());
        out.write('}');
    }

    private static final byte[] TAGS_OPEN = "{\"tags\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAGS_CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);

    /**
     * Writes {@code {"tags":[...]}} directly when every tag is printable ASCII needing no escape (most tags), which
     * spares a JSON generator per message; false, writing nothing, otherwise.
     */
    private static boolean writePlainTags(List<String> tags, OutputStream out) throws IOException {
        for (String tag : tags) {
            for (int i = 0; i < tag.length(); i++) {
                char c = tag.charAt(i);
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    return false;
                }
            }
        }
        out.write(TAGS_OPEN);
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write('"');
            out.write(tags.get(i).getBytes(StandardCharsets.US_ASCII));
            out.write('"');
        }
        out.write(TAGS_CLOSE);
        return true;
    }

    /** The compact {@code meta} object of a message with these tags and origin (null when not from Kafka). */
    public static byte[] meta(List<String> tags, Origin origin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = JsonData.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            writeMeta(g, tags, origin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The compact envelope as bytes. */
    public static byte[] bytes(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(m.dataLength() + 96);
        try {
            write(m, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads an envelope back into a message: the inverse of {@link #write}, for envelopes received from elsewhere (a
     * remote pool's tail). Fields it does not know are skipped; a missing seq, time or data is a Usage error.
     */
    public static Message parse(byte[] json, int offset, int length) {
        try (JsonParser p = JsonData.FACTORY.createParser(json, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw badEnvelope("not a JSON object");
            }
            long seq = -1;
            String time = null;
            Meta meta = new Meta(List.of(), null);
            JsonData data = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("seq") && value == JsonToken.VALUE_NUMBER_INT) {
                    seq = p.getLongValue();
                } else if (field.equals("time") && value == JsonToken.VALUE_STRING) {
                    time = p.getText();
                } else if (field.equals("meta") && value == JsonToken.START_OBJECT) {
                    meta = readMeta(p);
                } else if (field.equals("data") && value == JsonToken.START_OBJECT) {
                    // The object's own bytes, validated (and kept as they are when already compact) by JsonData.
                    int start = offset + (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    int end = offset + (int) p.currentLocation().getByteOffset();
                    data = JsonData.parse(json, start, end - start);
                } else if (field.equals("data")) {
                    data = JsonData.read(p);
                } else {
                    p.skipChildren();
                }
            }
            if (seq < 1 || time == null || data == null) {
                throw badEnvelope("seq, time and data are required");
            }
            return Message.of(seq, TimeFormat.parseRfc3339(time), meta.tags, meta.origin, data);
        } catch (IOException e) {
            throw badEnvelope(e.getMessage());
        }
    }

    private record Meta(List<String> tags, Origin origin) {
    }

    private static Meta readMeta(JsonParser p) throws IOException {
        List<String> tags = new ArrayList<>();
        Origin origin = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("tags") && value == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    tags.add(p.getText());
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    throw badEnvelope("meta.tags must be an array of strings");
                }
            } else if (field.equals("origin") && value == JsonToken.START_OBJECT) {
                JsonNode o = JsonTrees.MAPPER.readTree(p);
                origin = new Origin(o.path("topic").asText(), o.path("partition").asInt(), o.path("offset").asLong());
            } else {
                p.skipChildren();
            }
        }
        return new Meta(tags, origin);
    }

    private static PoolException badEnvelope(String why) {
        return new PoolException(ErrorKind.USAGE, "invalid message envelope: " + why);
    }

    private static void writeMeta(JsonGenerator g, List<String> tags, Origin origin) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("tags");
        for (String tag : tags) {
            g.writeString(tag);
        }
        g.writeEndArray();
        if (origin != null) {
            g.writeObjectFieldStart("origin");
            g.writeStringField("topic", origin.topic());
            g.writeNumberField("partition", origin.partition());
            g.writeNumberField("offset", origin.offset());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
