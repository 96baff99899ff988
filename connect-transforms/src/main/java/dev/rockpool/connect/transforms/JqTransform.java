package dev.rockpool.connect.transforms;

import dev.rockpool.connect.PluginVersion;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.connect.ConnectJson;
import dev.rockpool.filter.JqExpression;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A jq transformation of a record's key ({@link Key}) or value ({@link Value}): the query's output becomes the new
 * key or value, in the form the old one had (JSON text of the same Java type for strings and bytes, schemaless data
 * for schemaless data, data with an inferred schema for data with a schema). No output drops the record; more than
 * one output is a runtime error (wrap the query in {@code [...]} to keep all, or {@code first(...)} to keep one).
 * The query is compiled once per task; each evaluation is bounded in steps and each output in size; {@code on.null}
 * and {@code on.error} decide the rest. See docs/TRANSFORMS.md.
 */
public abstract class JqTransform<R extends ConnectRecord<R>> implements Transformation<R>, Monitorable {
    private final RecordSide side;
    private final JqMetrics metrics = new JqMetrics();
    private final InferredSchemas schemas = new InferredSchemas();
    private JqExpression query;
    private JqConfig.Outcome onNull;
    private JqErrors errors;
    private int maxOutputBytes;
    private boolean rawOutput;

    private JqTransform(RecordSide side) {
        this.side = side;
    }

    @Override
    public String version() {
        return PluginVersion.VERSION;
    }

    @Override
    public ConfigDef config() {
        return JqConfig.TRANSFORM;
    }

    @Override
    public void configure(Map<String, ?> props) {
        JqConfig config = JqConfig.transform(props);
        query = config.query();
        onNull = config.onNull();
        errors = new JqErrors(getClass(), "jq transform '" + query.text() + "'", config.onError());
        maxOutputBytes = config.getInt(JqConfig.MAX_OUTPUT_BYTES);
        rawOutput = config.getBoolean(JqConfig.RAW_OUTPUT);
    }

    @Override
    public R apply(R record) {
        Object input = side.value(record);
        if (input == null && onNull != JqConfig.Outcome.EVALUATE) {
            return onNull == JqConfig.Outcome.KEEP ? record : null;
        }
        metrics.evaluated();
        SchemaAndValue output;
        try {
            List<JsonNode> outputs = query.apply(JqInput.read(side.schema(record), input));
            if (outputs.isEmpty()) {
                return null;
            }
            if (outputs.size() > 1) {
                throw new DataException("the query gave " + outputs.size() + " outputs where one is needed; wrap it "
                        + "in [...] to keep them all or in first(...) to keep one");
            }
            output = toConnect(side.schema(record), input, outputs.get(0));
        } catch (Exception e) {
            metrics.error();
            return errors.handle(record, e) == JqConfig.Outcome.KEEP ? record : null;
        }
        metrics.matched();
        return side.replace(record, output.schema(), output.value());
    }

    /** The output in the form of the input it came from. */
    private SchemaAndValue toConnect(Schema inputSchema, Object input, JsonNode output) {
        JqInput.Form form = JqInput.Form.of(inputSchema, input);
        boolean text = form == JqInput.Form.STRING || form == JqInput.Form.BYTES;
        if (output.isNull()) {
            return new SchemaAndValue(text ? optional(inputSchema) : null, null);
        }
        if (text) {
            byte[] json = rawOutput && output.isTextual()
                    ? BoundedJson.checked(output.textValue().getBytes(StandardCharsets.UTF_8), maxOutputBytes)
                    : BoundedJson.bytes(output, maxOutputBytes);
            Object value = form == JqInput.Form.STRING ? new String(json, StandardCharsets.UTF_8) : json;
            return new SchemaAndValue(inputSchema, value);
        }
        BoundedJson.check(output, maxOutputBytes);
        return form == JqInput.Form.SCHEMALESS ? new SchemaAndValue(null, ConnectJson.toSchemaless(output))
                : schemas.toConnect(output);
    }

    /** A string or bytes schema that admits the null a jq {@code null} output becomes. */
    private static Schema optional(Schema schema) {
        if (schema == null || schema.isOptional()) {
            return schema;
        }
        return schema.type() == Schema.Type.STRING ? Schema.OPTIONAL_STRING_SCHEMA : Schema.OPTIONAL_BYTES_SCHEMA;
    }

    @Override
    public void withPluginMetrics(PluginMetrics pluginMetrics) {
        metrics.register(pluginMetrics, "Records the jq transform gave an output for");
    }

    @Override
    public void close() {
        // Nothing held: the compiled query and the schema cache are plain memory.
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{query=" + (query == null ? null : query.text()) + "}";
    }

    /** The transformation of the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends JqTransform<R> {
        public Key() {
            super(RecordSide.KEY);
        }
    }

    /** The transformation of the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends JqTransform<R> {
        public Value() {
            super(RecordSide.VALUE);
        }
    }
}
