package dev.rockpool.connect.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import org.apache.kafka.connect.errors.DataException;

import java.io.IOException;
import java.io.OutputStream;

/** The compact JSON text of an output, refused past a size bound (a runaway output must not reach a producer). */
final class BoundedJson {
    private static final ObjectWriter WRITER = JsonTrees.MAPPER.writer();

    private BoundedJson() {
    }

    /** The UTF-8 JSON text of {@code node}; a {@link DataException} if it is longer than {@code maxBytes}. */
    static byte[] bytes(JsonNode node, int maxBytes) {
        byte[] bytes;
        try {
            bytes = WRITER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new DataException("cannot write the jq output as JSON: " + e.getMessage(), e);
        }
        return checked(bytes, maxBytes);
    }

    /** {@code bytes}, or a {@link DataException} if they are more than {@code maxBytes}. */
    static byte[] checked(byte[] bytes, int maxBytes) {
        if (bytes.length > maxBytes) {
            throw tooLarge(bytes.length + " bytes", maxBytes);
        }
        return bytes;
    }

    /** A {@link DataException} if the JSON text of {@code node} would be longer than {@code maxBytes}. */
    static void check(JsonNode node, int maxBytes) {
        Counter counter = new Counter(maxBytes);
        try {
            WRITER.writeValue(counter, node);
        } catch (IOException e) {
            throw new DataException("cannot write the jq output as JSON: " + e.getMessage(), e);
        } catch (Counter.Exceeded e) {
            throw tooLarge("more than " + maxBytes + " bytes", maxBytes);
        }
    }

    private static DataException tooLarge(String size, int maxBytes) {
        return new DataException("the jq output is " + size + " of JSON, over max.output.bytes=" + maxBytes);
    }

    /** Counts what is written and stops at the bound, so a huge output is never written out whole. */
    private static final class Counter extends OutputStream {
        private final int max;
        private long count;

        Counter(int max) {
            this.max = max;
        }

        static final class Exceeded extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Exceeded() {
                super(null, null, false, false);
            }
        }

        @Override
        public void write(int b) {
            add(1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            add(len);
        }

        private void add(int n) {
            count += n;
            if (count > max) {
                throw new Exceeded();
            }
        }
    }
}
