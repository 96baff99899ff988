package dev.rockpool.connect.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.connect.ConnectValueNodes;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connect data with a schema for a jq output: the schema is inferred from the output itself and cached by its
 * shape, so records of one shape share one schema object and a record of another shape never gets a stale one.
 *
 * <p>The shape is a text naming every type the inference looks at: field names in order, the Java type of each
 * number (and a decimal's scale), strings, booleans, nulls, the Connect type a {@link ConnectValueNodes.Typed} node
 * carries, and an array's run of element shapes (equal neighbours once). Everything inferred is optional. An object
 * is a struct; an array's elements share one schema: nulls fit anything, integers widen (INT8 to INT64), INT8 to
 * INT32 and FLOAT32 widen to FLOAT64, integers to a decimal, decimals to the largest scale (all exact), structs with
 * the same fields unify field by field; other mixtures are bad data. A place that only ever holds null is an optional
 * string.
 *
 * <p>Not thread-safe: Connect creates one transformation per task, and a task applies it on one thread.
 */
final class InferredSchemas {
    private static final int CACHED_SHAPES = 256;
    /** The schema of a place that held only nulls so far; identity matters, it never leaves this class. */
    private static final Schema UNKNOWN = SchemaBuilder.string().optional().name("rockpool.unknown").build();

    private final Map<String, Schema> byShape = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Schema> eldest) {
            return size() > CACHED_SHAPES;
        }
    };

    /** The output with its inferred schema; a JSON null is a null value without a schema. */
    SchemaAndValue toConnect(JsonNode output) {
        if (output.isNull()) {
            return SchemaAndValue.NULL;
        }
        StringBuilder shape = new StringBuilder(64);
        shape(output, shape);
        Schema schema = byShape.computeIfAbsent(shape.toString(), s -> resolve(infer(output)));
        return new SchemaAndValue(schema, value(schema, output));
    }

    /** How many shapes are cached (for tests). */
    int cachedShapes() {
        return byShape.size();
    }

    private static void shape(JsonNode node, StringBuilder out) {
        if (node instanceof ConnectValueNodes.Typed) {
            Schema typed = ((ConnectValueNodes.Typed) node).schema();
            out.append('<').append(typed.type()).append(' ').append(typed.name()).append('>');
            return;
        }
        switch (node.getNodeType()) {
            case OBJECT:
                out.append('{');
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    // Length-prefixed, so no field name can pass for a piece of the shape text.
                    out.append(field.getKey().length()).append(':').append(field.getKey());
                    shape(field.getValue(), out);
                }
                out.append('}');
                return;
            case ARRAY:
                arrayShape(node, out);
                return;
            case NUMBER:
                out.append(node.isShort() ? "SHORT" : node.numberType().toString());
                if (node.isBigDecimal()) {
                    out.append(node.decimalValue().scale());
                }
                out.append(';');
                return;
            default:
                out.append(node.getNodeType()).append(';');
        }
    }

    private static void arrayShape(JsonNode array, StringBuilder out) {
        out.append('[');
        String previous = null;
        StringBuilder element = new StringBuilder();
        for (JsonNode e : array) {
            element.setLength(0);
            shape(e, element);
            String current = element.toString();
            if (!current.equals(previous)) {
                out.append(current).append(',');
                previous = current;
            }
        }
        out.append(']');
    }

    private static Schema infer(JsonNode node) {
        if (node instanceof ConnectValueNodes.Typed) {
            return ((ConnectValueNodes.Typed) node).schema();
        }
        switch (node.getNodeType()) {
            case OBJECT:
                SchemaBuilder struct = SchemaBuilder.struct().optional();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    struct.field(field.getKey(), infer(field.getValue()));
                }
                return struct.build();
            case ARRAY:
                Schema elements = UNKNOWN;
                for (JsonNode e : node) {
                    elements = unify(elements, infer(e));
                }
                return SchemaBuilder.array(elements).optional().build();
            case STRING:
                return Schema.OPTIONAL_STRING_SCHEMA;
            case BOOLEAN:
                return Schema.OPTIONAL_BOOLEAN_SCHEMA;
            case NUMBER:
                return number(node);
            default:
                return UNKNOWN;
        }
    }

    private static Schema number(JsonNode node) {
        switch (node.numberType()) {
            case INT:
                return node.isShort() ? Schema.OPTIONAL_INT16_SCHEMA : Schema.OPTIONAL_INT32_SCHEMA;
            case LONG:
                return Schema.OPTIONAL_INT64_SCHEMA;
            case FLOAT:
                return Schema.OPTIONAL_FLOAT32_SCHEMA;
            case DOUBLE:
                return Schema.OPTIONAL_FLOAT64_SCHEMA;
            case BIG_INTEGER:
                return Decimal.builder(0).optional().build();
            default:
                return Decimal.builder(node.decimalValue().scale()).optional().build();
        }
    }

    /** One schema for two elements of an array; bad data if there is none without rounding. */
    private static Schema unify(Schema a, Schema b) {
        if (a == UNKNOWN || a.equals(b)) {
            return b;
        }
        if (b == UNKNOWN) {
            return a;
        }
        Schema wider = widen(a, b);
        if (wider == null) {
            wider = widen(b, a);
        }
        if (wider != null) {
            return wider;
        }
        if (a.type() == Schema.Type.STRUCT && b.type() == Schema.Type.STRUCT && a.name() == null
                && b.name() == null && sameFieldNames(a, b)) {
            SchemaBuilder struct = SchemaBuilder.struct().optional();
            for (Field f : a.fields()) {
                struct.field(f.name(), unify(f.schema(), b.field(f.name()).schema()));
            }
            return struct.build();
        }
        if (a.type() == Schema.Type.ARRAY && b.type() == Schema.Type.ARRAY && a.name() == null && b.name() == null) {
            return SchemaBuilder.array(unify(a.valueSchema(), b.valueSchema())).optional().build();
        }
        throw new DataException("cannot infer one schema for array elements of types " + describe(a) + " and "
                + describe(b) + " without rounding; make them alike in the jq expression");
    }

    /** {@code b} if it holds every value of {@code a} exactly, a wider decimal for two decimals, else null. */
    private static Schema widen(Schema a, Schema b) {
        int rankA = integerRank(a);
        int rankB = integerRank(b);
        if (rankA >= 0 && rankB > rankA) {
            return b;
        }
        if ((rankA >= 0 && rankA <= 2 || a.equals(Schema.OPTIONAL_FLOAT32_SCHEMA))
                && b.equals(Schema.OPTIONAL_FLOAT64_SCHEMA)) {
            return b;
        }
        boolean decimalA = Decimal.LOGICAL_NAME.equals(a.name());
        boolean decimalB = Decimal.LOGICAL_NAME.equals(b.name());
        if (decimalB && (rankA >= 0 || decimalA)) {
            int scale = Math.max(scale(b), decimalA ? scale(a) : 0);
            return Decimal.builder(scale).optional().build();
        }
        return null;
    }

    /** 0..3 for INT8..INT64 (plain, not logical); -1 for anything else. */
    private static int integerRank(Schema s) {
        if (s.name() != null) {
            return -1;
        }
        switch (s.type()) {
            case INT8:
                return 0;
            case INT16:
                return 1;
            case INT32:
                return 2;
            case INT64:
                return 3;
            default:
                return -1;
        }
    }

    private static int scale(Schema decimal) {
        return Integer.parseInt(decimal.parameters().get(Decimal.SCALE_FIELD));
    }

    private static boolean sameFieldNames(Schema a, Schema b) {
        List<Field> fa = a.fields();
        List<Field> fb = b.fields();
        if (fa.size() != fb.size()) {
            return false;
        }
        for (int i = 0; i < fa.size(); i++) {
            if (!fa.get(i).name().equals(fb.get(i).name())) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Schema s) {
        return s.name() != null ? s.name() : s.type().toString();
    }

    /** The schema with every place that only held nulls made an optional string. */
    private static Schema resolve(Schema s) {
        if (s == UNKNOWN) {
            return Schema.OPTIONAL_STRING_SCHEMA;
        }
        if (s.type() == Schema.Type.STRUCT && s.name() == null) {
            SchemaBuilder struct = SchemaBuilder.struct().optional();
            for (Field f : s.fields()) {
                struct.field(f.name(), resolve(f.schema()));
            }
            return struct.build();
        }
        if (s.type() == Schema.Type.ARRAY && s.name() == null) {
            return SchemaBuilder.array(resolve(s.valueSchema())).optional().build();
        }
        return s;
    }

    /** The Connect value of a node under a schema inferred for it (or for a wider shape). */
    private static Object value(Schema schema, JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node instanceof ConnectValueNodes.Typed && ((ConnectValueNodes.Typed) node).schema().equals(schema)) {
            return ((ConnectValueNodes.Typed) node).connectValue();
        }
        switch (schema.type()) {
            case STRUCT:
                Struct struct = new Struct(schema);
                for (Field f : schema.fields()) {
                    struct.put(f, value(f.schema(), node.get(f.name())));
                }
                return struct;
            case ARRAY:
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode e : node) {
                    list.add(value(schema.valueSchema(), e));
                }
                return list;
            case INT16:
                return node.shortValue();
            case INT32:
                return node.intValue();
            case INT64:
                return node.longValue();
            case FLOAT32:
                return node.floatValue();
            case FLOAT64:
                return node.doubleValue();
            case BOOLEAN:
                return node.booleanValue();
            case BYTES:
                // Only a Decimal reaches here: bytes and other logical values are Typed nodes.
                return node.decimalValue().setScale(scale(schema));
            default:
                return node.textValue();
        }
    }
}
