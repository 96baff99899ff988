package dev.rockpool.filter;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Message times as RFC 3339 UTC with nanoseconds, trailing zeros trimmed, over the whole range of a pool's times. */
class TimeFormatTest {
    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Test
    void formatsAsJavaTimeDoesWithTrailingZerosTrimmed() {
        assertEquals("1970-01-01T00:00:00Z", TimeFormat.format(0));
        assertEquals("2026-11-22T01:02:03.456789Z", TimeFormat.format(1_795_309_323_456_789_000L));
        assertEquals("1969-12-31T23:59:59.999999999Z", TimeFormat.format(-1));
        assertEquals("2024-02-29T12:00:00.5Z", TimeFormat.format(1_709_208_000_500_000_000L));
        Random random = new Random(17);
        for (int i = 0; i < 100_000; i++) {
            long nanos = i == 0 ? Long.MIN_VALUE : i == 1 ? Long.MAX_VALUE : random.nextLong();
            assertEquals(javaTime(nanos), TimeFormat.format(nanos), "ns " + nanos);
        }
    }

    @Test
    void parsesWhatItFormats() {
        Random random = new Random(18);
        for (int i = 0; i < 10_000; i++) {
            long nanos = random.nextLong();
            assertEquals(nanos, TimeFormat.parseRfc3339(TimeFormat.format(nanos)));
        }
    }

    /** The same text from java.time's formatter: nine digits of fraction, then zeros trimmed. */
    private static String javaTime(long nanos) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        String text = RFC3339.format(instant).replaceAll("0+$", "").replaceAll("\\.$", "");
        return text + "Z";
    }
}
