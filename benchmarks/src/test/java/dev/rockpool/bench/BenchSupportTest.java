package dev.rockpool.bench;

import dev.rockpool.pool.JsonData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
