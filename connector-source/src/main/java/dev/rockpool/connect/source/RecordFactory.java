package dev.rockpool.connect.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.connect.RockpoolHeaders;
import dev.rockpool.filter.Envelope;
import dev.rockpool.filter.JqExpression;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Message;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns pool messages into source records: value per {@code value.format}, key per {@code key.jq}, headers. */
final class RecordFactory {
    private final PoolSourceConfig.ValueFormat valueFormat;
    private final JqExpression keyExpression;
    private final boolean poolHeader;
    private final boolean seqHeader;
    private final boolean timeHeader;
    private final boolean tagsHeader;

    RecordFactory(PoolSourceConfig.ValueFormat valueFormat, JqExpression keyExpression,
                  Set<PoolSourceConfig.RecordHeader> headers) {
        this.valueFormat = valueFormat;
        this.keyExpression = keyExpression;
        this.poolHeader = headers.contains(PoolSourceConfig.RecordHeader.POOL);
        this.seqHeader = headers.contains(PoolSourceConfig.RecordHeader.SEQ);
        this.timeHeader = headers.contains(PoolSourceConfig.RecordHeader.TIME);
        this.tagsHeader = headers.contains(PoolSourceConfig.RecordHeader.TAGS);
    }

    /**
     * The record of a message. Its value is JSON in every format: the stored bytes go out as they are in bytes and
     * string, after one streaming check that they are a JSON object in UTF-8 ({@link Message#checkData}); map parses
     * them anyway. A forged frame is a Corrupt {@link dev.rockpool.pool.PoolException} naming its seq and offset.
     */
    SourceRecord record(String pool, String topic, Map<String, ?> partition, Map<String, ?> offset, Message m) {
        Object value;
        Schema valueSchema;
        switch (valueFormat) {
            case BYTES:
                valueSchema = Schema.BYTES_SCHEMA;
                m.checkData();
                value = m.data();
                break;
            case STRING:
                valueSchema = Schema.STRING_SCHEMA;
                m.checkData();
                value = m.dataString();
                break;
            default:
                valueSchema = null;
                value = toConnect(data(m));
                break;
        }
        String key = keyExpression == null ? null : key(pool, m);
        ConnectHeaders headers = new ConnectHeaders();
        if (poolHeader) {
            headers.addString(RockpoolHeaders.POOL, pool);
        }
        if (seqHeader) {
            headers.addLong(RockpoolHeaders.SEQ, m.seq());
        }
        if (timeHeader) {
            headers.addString(RockpoolHeaders.TIME, TimeFormat.format(m.timeNanos()));
        }
        if (tagsHeader) {
            headers.addString(RockpoolHeaders.TAGS, RockpoolHeaders.encodeTags(m.tags()));
        }
        long timestampMs = Math.floorDiv(m.timeNanos(), 1_000_000L);
        return new SourceRecord(partition, offset, topic, null, key == null ? null : Schema.OPTIONAL_STRING_SCHEMA,
                key, valueSchema, value, timestampMs, headers);
    }

    /**
     * A heartbeat: a record for the heartbeat topic that carries a pool's read position, so Connect commits past
     * messages the filters dropped. Key: the pool name; value {@code {"pool":NAME,"seq":NEXT}} in the value format.
     */
    SourceRecord heartbeat(String pool, String topic, Map<String, ?> partition, Map<String, Object> offset) {
        long seq = OffsetFields.seq(offset);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("pool", pool);
        fields.put("seq", seq);
        String json;
        try {
            json = JsonTrees.MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new DataException("cannot write a heartbeat for pool " + pool, e);
        }
        Object value;
        Schema valueSchema;
        switch (valueFormat) {
            case BYTES:
                valueSchema = Schema.BYTES_SCHEMA;
                value = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                break;
            case STRING:
                valueSchema = Schema.STRING_SCHEMA;
                value = json;
                break;
            default:
                valueSchema = null;
                value = fields;
                break;
        }
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(RockpoolHeaders.POOL, pool);
        headers.addLong(RockpoolHeaders.SEQ, seq);
        return new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, pool, valueSchema, value,
                System.currentTimeMillis(), headers);
    }

    /** The key: the first output of key.jq; a string as is, other JSON as compact text; null for none. */
    private String key(String pool, Message m) {
        List<JsonNode> out;
        try {
            out = keyExpression.apply(Envelope.tree(m));
        } catch (JsonQueryException e) {
            throw new DataException("Pool '" + pool + "' seq " + m.seq() + ": key.jq '" + keyExpression.text()
                    + "' failed: " + e.getMessage());
        }
        if (out.isEmpty() || out.get(0).isNull()) {
            return null;
        }
        JsonNode k = out.get(0);
        return k.isTextual() ? k.textValue() : k.toString();
    }

    private static JsonNode data(Message m) {
        return Envelope.data(m);
    }

    /**
     * JSON to the schemaless Connect values JsonConverter writes back as the same JSON: objects to maps (field order
     * kept), arrays to lists, whole numbers to Long, other numbers to Double (Connect has no schemaless big number).
     */
    static Object toConnect(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.put(e.getKey(), toConnect(e.getValue()));
                }
                return map;
            case ARRAY:
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode element : node) {
                    list.add(toConnect(element));
                }
                return list;
            case STRING:
                return node.textValue();
            case BOOLEAN:
                return node.booleanValue();
            case NUMBER:
                return node.canConvertToLong() && node.isIntegralNumber() ? (Object) node.longValue()
                        : (Object) node.doubleValue();
            default:
                return null;
        }
    }
}
