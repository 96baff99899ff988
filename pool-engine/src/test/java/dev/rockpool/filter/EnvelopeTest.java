package dev.rockpool.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Origin;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The wire shapes read back: envelopes, times, pool info and errors survive a round trip unchanged. */
class EnvelopeTest {
    @Test
    void envelopesRoundTrip() throws Exception {
        List<Message> messages = List.of(
                Message.of(7, 1_700_000_000_123_456_789L, List.of("a", "b c"), null, JsonData.parse("{\"n\":1.10}")),
                Message.of(8, 1_700_000_000_000_000_000L, List.of("quote\"d", "\u00e9t\u00e9", "tab\t"), null,
                        JsonData.parse("{\"s\":\"\\u00e9\",\"big\":1e400}")),
                Message.of(9, 5L, List.of(), new Origin("topic", 2, 99), JsonData.parse("{}")));
        for (Message m : messages) {
            byte[] bytes = Envelope.bytes(m);
            JsonNode tree = JsonTrees.MAPPER.readTree(bytes);
            assertEquals(Envelope.tree(m).toString(), tree.toString(), "the fast writer and the tree agree");
            Message back = Envelope.parse(bytes, 0, bytes.length);
            assertEquals(m.seq(), back.seq());
            assertEquals(m.timeNanos(), back.timeNanos());
            assertEquals(m.tags(), back.tags());
            assertEquals(m.origin(), back.origin());
            assertEquals(m.dataString(), back.dataString());
        }
        byte[] padded = ("xx" + new String(Envelope.bytes(messages.get(0)), StandardCharsets.UTF_8) + "yy")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(7, Envelope.parse(padded, 2, padded.length - 4).seq());
        byte[] bad = "{\"seq\":1,\"meta\":{\"tags\":[]},\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        assertEquals(ErrorKind.USAGE, assertThrows(PoolException.class, () -> Envelope.parse(bad, 0, bad.length))
                .kind());
    }

    @Test
    void timesRoundTrip() {
        for (long t : new long[] {0, 1, 999_999_999, 1_700_000_000_123_456_789L, 1_700_000_001_100_000_000L, -5}) {
            assertEquals(t, TimeFormat.parseRfc3339(TimeFormat.format(t)));
        }
        assertEquals(TimeFormat.parseRfc3339("2026-11-22T00:02:03.5Z"),
                TimeFormat.parseRfc3339("2026-11-22T01:02:03.5+01:00"));
    }

    @Test
    void poolInfoAndErrorsRoundTrip() {
        PoolInfo info = new PoolInfo(Path.of("/p/x.pool"), "ab", 1, 1 << 20, 900_000, 8192, 3, 4, 6, 7,
                1_700_000_000_000_000_001L, 1_700_000_000_000_000_009L, 300, 899_700, 1_600_000_000_000_000_000L);
        assertEquals(info, PoolInfoJson.parse(PoolInfoJson.of("x", info, 1_700_000_001_000_000_000L)));
        PoolException e = new PoolException(ErrorKind.RETENTION_GAP, "gone", Path.of("/p/x.pool"), 5L, null,
                "read faster", null);
        PoolException back = ErrorJson.parse(ErrorJson.of(e));
        assertEquals(e.kind(), back.kind());
        assertEquals(e.getMessage(), back.getMessage());
        assertEquals(e.seq(), back.seq());
        assertEquals(e.hint(), back.hint());
        assertEquals(e.path(), back.path());
        assertNull(ErrorJson.parse(JsonTrees.MAPPER.createObjectNode().put("seq", 1)));
    }
}
