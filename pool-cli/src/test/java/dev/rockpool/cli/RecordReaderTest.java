package dev.rockpool.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the record splitter cuts streams, good and broken, and that it stays within its memory bound. */
class RecordReaderTest {
    /** Each record as "line:text" ("line:!N" for an oversized one of N bytes). */
    private static List<String> split(String input, int maxRecord) throws IOException {
        return split(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), maxRecord);
    }

    private static List<String> split(InputStream in, int maxRecord) throws IOException {
        RecordReader r = new RecordReader(in, maxRecord, () -> { });
        List<String> out = new ArrayList<>();
        while (r.next()) {
            assertEquals(out.size() + 1, r.recordNumber());
            out.add(r.recordLine() + ":" + (r.oversized() ? "!" + r.oversizedLength()
                    : new String(r.array(), r.start(), r.length(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void goodInputInEveryShape() throws IOException {
        assertEquals(List.of("1:{\"a\":1}", "2:{\"b\":[1,{\"c\":2}]}"),
                split("{\"a\":1}\n{\"b\":[1,{\"c\":2}]}\n", 1000));
        assertEquals(List.of("1:{\"a\":1}", "1:{\"b\":2}", "1:[3]"), split("{\"a\":1}{\"b\":2} [3]", 1000));
        assertEquals(List.of("1:{\"a\":1}", "2:{\"b\":2}"), split("\u001e{\"a\":1}\n\u001e{\"b\":2}\n", 1000));
        assertEquals(List.of("2:{\n  \"a\": [\n    1\n  ]\n}", "7:{}"),
                split("\n{\n  \"a\": [\n    1\n  ]\n}\n{}", 1000));
        assertEquals(List.of("1:{\"s\":\"}]{[\\\"\\\\\"}"), split("{\"s\":\"}]{[\\\"\\\\\"}", 1000));
        assertEquals(List.of("1:{\"a\":1}"), split("\uFEFF{\"a\":1}", 1000), "a byte order mark is skipped");
        assertEquals(List.of(), split(" \n\r\n\t\u001e ", 1000));
    }

    @Test
    void brokenRecordsEndWhereTheNextGoodOneBegins() throws IOException {
        assertEquals(List.of("1:{\"a\":1", "2:{\"b\":2}"), split("{\"a\":1\n{\"b\":2}\n", 1000),
                "a truncated line does not swallow the next");
        assertEquals(List.of("1:{\"a\":\"x", "2:{\"b\":2}"), split("{\"a\":\"x\n{\"b\":2}\n", 1000),
                "a newline inside a string ends the record");
        assertEquals(List.of("1:{\"a\":", "1:{\"b\":2}"), split("{\"a\":\u001e{\"b\":2}", 1000),
                "an RS always starts a record");
        assertEquals(List.of("1:{\"a\":[\n{\"b\":2}"), split("{\"a\":[\n{\"b\":2}", 1000),
                "after '[' a '{' line continues the record (valid JSON can)");
        assertEquals(List.of("1:hello world", "2:{\"a\":1}"), split("hello world\n{\"a\":1}", 1000));
        assertEquals(List.of("1:{\"a\":1}", "1:}", "2:{}"), split("{\"a\":1}}\n{}", 1000));
        assertEquals(List.of("1:\"str\"", "1:{}"), split("\"str\"{}", 1000));
    }

    @Test
    void oversizedRecordsAreCountedNotKept() throws IOException {
        String big = "{\"x\":\"" + "y".repeat(300_000) + "\"}";
        List<String> records = split(big + "\n{\"after\":1}\n", 1000);
        assertEquals(List.of("1:!" + big.length(), "2:{\"after\":1}"), records);
    }

    @Test
    void aLongStreamInSmallReadsKeepsRecordsWhole() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            b.append("{\"i\":").append(i).append(",\"s\":\"").append("z".repeat(i % 50)).append("\"}\n");
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] buf, int off, int len) {
                return super.read(buf, off, Math.min(len, 7));
            }
        };
        List<String> records = split(trickle, 1000);
        assertEquals(50_000, records.size());
        assertTrue(records.get(49_999).startsWith("50000:{\"i\":49999,"));
    }
}
