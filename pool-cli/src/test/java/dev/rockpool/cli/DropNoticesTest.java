package dev.rockpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.Gap;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drop notices are coalesced (at most one per second) and lose no count. */
class DropNoticesTest {
    @Test
    void manyGapsBecomeFewNoticesWithEveryDropCounted() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), err, false, false, false);
        DropNotices notices = new DropNotices(io, "p", false);
        long start = System.nanoTime();
        long seq = 1;
        for (int i = 0; i < 10_000; i++) {
            notices.onGap(new Gap(seq, 3));
            seq += 4;
        }
        long elapsedSeconds = (System.nanoTime() - start) / 1_000_000_000L;
        notices.flush(true);
        List<JsonNode> lines = Cli.lines(err.toString()).stream().map(Cli::json).toList();
        assertTrue(lines.size() >= 2, "the first gap at once, the rest at the end");
        assertTrue(lines.size() <= elapsedSeconds + 2, lines.size() + " notices in " + elapsedSeconds + " s");
        long dropped = 0;
        for (JsonNode line : lines) {
            JsonNode notice = line.get("notice");
            assertEquals("drop", notice.get("kind").asText());
            assertEquals("p", notice.get("pool").asText());
            dropped += notice.get("details").get("dropped_count").asLong();
        }
        assertEquals(30_000, dropped);
        assertEquals(30_000, notices.total());
        assertEquals(1, lines.get(0).get("notice").get("details").get("first_missing_seq").asLong());
        assertEquals(seq - 2, lines.get(lines.size() - 1).get("notice").get("details").get("last_missing_seq")
                .asLong());
    }

    @Test
    void quietDropsPrintNothing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), err, false, false, false);
        DropNotices notices = new DropNotices(io, "p", true);
        notices.onGap(new Gap(1, 5));
        notices.flush(true);
        assertEquals("", err.toString());
        assertEquals(5, notices.total());
    }
}
