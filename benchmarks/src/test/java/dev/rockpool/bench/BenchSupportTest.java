package dev.rockpool.bench;

import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces the benchmarks rely on to measure the right thing; no timing is asserted. */
class BenchSupportTest {
    @Test
    void payloadsAreCompactObjectsOfTheExactSize() {
        for (int size : new int[] {64, 128, 1024}) {
            for (long i : new long[] {0, 7, 999_999}) {
                byte[] json = Payloads.json(size, i);
                assertEquals(size, json.length, "size");
                // parse compacts: equal bytes back means the payload was already compact, as trusted() requires
                assertArrayEquals(json, JsonData.parse(json).bytes());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Payloads.json(20, 123_456_789L));
    }

    /** The WAN benchmark's entries: compact JSON objects like journalctl's, the same bytes for the same number. */
    @Test
    void journalEntriesAreCompactObjectsLikeJournalctlPrints() throws Exception {
        java.util.Set<String> services = new java.util.TreeSet<>();
        long total = 0;
        for (long i = 0; i < 2000; i++) {
            byte[] entry = JournalEntries.entry(i);
            assertArrayEquals(entry, JsonData.parse(entry).bytes(), "compact");
            assertArrayEquals(entry, JournalEntries.entry(i), "deterministic");
            var tree = JsonTrees.MAPPER.readTree(entry);
            assertEquals("edge-gw-07", tree.get("_HOSTNAME").asText());
            assertTrue(tree.get("MESSAGE").asText().length() > 20, tree.toString());
            assertTrue(entry.length >= 500 && entry.length <= 1600, entry.length + ": " + tree);
            services.add(tree.get("SYSLOG_IDENTIFIER").asText());
            total += entry.length;
        }
        assertEquals(8, services.size(), services.toString());
        assertTrue(total / 2000 >= 700 && total / 2000 <= 1300, "average " + total / 2000);
    }

    @Test
    void followStampSurvivesTheRoundTripAndKeepsTheDataValid() {
        byte[] data = FollowLatency.template();
        assertEquals(128, data.length);
        long[] values = {0, 1, 123_456_789_012L, 999_999_999_999_999_999L};
        for (long v : values) {
            FollowLatency.putDigits(data, v);
            assertEquals(v, FollowLatency.parseDigits(data, FollowLatency.T_OFFSET));
            assertArrayEquals(data, JsonData.parse(data).bytes(), new String(data, StandardCharsets.US_ASCII));
        }
        assertThrows(IllegalArgumentException.class, () -> FollowLatency.putDigits(data, -1));
    }

    @Test
    void percentilesPickTheNearestRank() {
        long[] sorted = new long[1000];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(500, FollowLatency.percentile(sorted, 0.50));
        assertEquals(990, FollowLatency.percentile(sorted, 0.99));
        assertEquals(999, FollowLatency.percentile(sorted, 0.999));
        assertEquals(7, FollowLatency.percentile(new long[] {7}, 0.999));
    }

    @Test
    void ratiosAreJudgedAgainstTheirTargets() {
        assertEquals("met", new Report.Ratio("r", 2.1, 2.0, false, "").verdict());
        assertEquals("MISSED", new Report.Ratio("r", 1.9, 2.0, false, "").verdict());
        assertEquals("met", new Report.Ratio("p99", 40, 50, true, "").verdict());
        assertEquals("MISSED", new Report.Ratio("p99", 60, 50, true, "").verdict());
        assertEquals("not run", new Report.Ratio("r", Double.NaN, 2.0, false, "").verdict());
        assertEquals("", new Report.Ratio("r", 1.0, Double.NaN, false, "").verdict());
    }

    @Test
    void startFiguresAreMediansOfTheRounds() {
        assertEquals(3.0, StartBench.median(List.of(5.0, 1.0, 3.0)));
        assertEquals(2.5, StartBench.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertEquals(7.0, StartBench.median(List.of(7.0)));
    }
}
