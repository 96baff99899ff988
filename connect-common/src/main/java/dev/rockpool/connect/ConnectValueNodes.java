package dev.rockpool.connect;

import com.fasterxml.jackson.databind.node.ShortNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.apache.kafka.connect.data.Schema;

/**
 * JSON nodes that remember the Connect value they stand for, where JSON alone would lose its type: an INT8, bytes
 * (a base64 string in JSON), and the logical types Timestamp, Date and Time (readable strings in JSON). They write
 * as ordinary JSON and jq sees an ordinary number or string; a value jq passes through unchanged (jq never mutates
 * a node, it builds new ones) comes back as the very Connect value and schema it was, while anything jq computes
 * from it is plain JSON.
 */
public final class ConnectValueNodes {
    private ConnectValueNodes() {
    }

    /** A node that stands for a Connect value of a type JSON cannot tell. */
    public interface Typed {
        /** The value's schema (optional, so an inferred struct may hold a null in its place elsewhere). */
        Schema schema();

        /** The Connect value itself. */
        Object connectValue();
    }

    /** An INT8: a number to jq. */
    public static final class Int8 extends ShortNode implements Typed {
        private static final long serialVersionUID = 1L;

        Int8(byte value) {
            super(value);
        }

        @Override
        public Schema schema() {
            return Schema.OPTIONAL_INT8_SCHEMA;
        }

        @Override
        public Object connectValue() {
            return (byte) shortValue();
        }
    }

    /** Bytes or a logical value, shown to jq as a string (base64, RFC 3339, ...). */
    public static final class Text extends TextNode implements Typed {
        private static final long serialVersionUID = 1L;

        private final transient Schema schema;
        private final transient Object value;

        Text(String text, Schema schema, Object value) {
            super(text);
            this.schema = schema;
            this.value = value;
        }

        @Override
        public Schema schema() {
            return schema;
        }

        @Override
        public Object connectValue() {
            return value;
        }
    }
}
