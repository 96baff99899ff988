package dev.rockpool.filter;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Message times: ns since the epoch, shown as RFC 3339 UTC with nanoseconds and trailing zeros trimmed. */
public final class TimeFormat {
    private TimeFormat() {
    }

    /**
     * The formatted second of the last call: messages come in time order, so the date and clock part is formatted
     * once per second instead of once per message (the source connector formats a time header for every record).
     * Immutable, so threads may race on the field and each still sees a consistent pair.
     */
    private static Second lastSecond = new Second(Long.MIN_VALUE, "");

    private record Second(long epochSecond, String text) {
    }

    /** {@code 2026-11-22T01:02:03.456789Z} for a time in ns since the epoch. */
    public static String format(long epochNanos) {
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
        Second second = lastSecond;
        if (second.epochSecond() != seconds) {
            second = new Second(seconds, dateAndClock(seconds));
            lastSecond = second;
        }
        String prefix = second.text();
        int length = prefix.length();
        char[] out = new char[length + 11];
        prefix.getChars(0, length, out, 0);
        int end = length;
        if (nanos != 0) {
            out[end] = '.';
            for (int i = 9; i >= 1; i--, nanos /= 10) {
                out[end + i] = (char) ('0' + nanos % 10);
            }
            end += 10;
            while (out[end - 1] == '0') {
                end--;
            }
        }
        out[end++] = 'Z';
        return new String(out, 0, end);
    }

    /**
     * {@code 2026-11-22T01:02:03}: the UTC date and clock of a second since the epoch. Built from {@link LocalDate}
     * rather than a {@code DateTimeFormatter}, whose set-up would cost a short CLI command a few ms. Pool times are
     * years 1677 to 2262, which {@code LocalDate} prints as {@code yyyy-MM-dd}.
     */
    private static String dateAndClock(long epochSecond) {
        int clock = (int) Math.floorMod(epochSecond, 86_400L);
        StringBuilder b = new StringBuilder(19).append(LocalDate.ofEpochDay(Math.floorDiv(epochSecond, 86_400L)))
                .append('T');
        twoDigits(b, clock / 3600).append(':');
        twoDigits(b, clock / 60 % 60).append(':');
        return twoDigits(b, clock % 60).toString();
    }

    private static StringBuilder twoDigits(StringBuilder b, int value) {
        return b.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** Parses an RFC 3339 time with any offset (e.g. {@code 2026-11-22T01:02:03.5+01:00}) to ns since the epoch. */
    public static long parseRfc3339(String text) {
        long fast = parseFormatted(text);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        try {
            Instant i = OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new PoolException(ErrorKind.USAGE, "invalid time '" + text
                    + "': expected RFC 3339, e.g. 2026-11-22T01:02:03Z");
        }
    }

    /** Length of the {@code yyyy-MM-ddTHH:mm:ss} part of a time {@link #format} writes. */
    private static final int SECOND_LENGTH = 19;

    /**
     * The time of a text shaped as {@link #format} writes it ({@code 2026-11-22T01:02:03.456Z}), fast: the second is
     * read through the same one-entry cache {@code format} keeps (times come in order, so it is nearly always the
     * second before), the fraction digit by digit. {@link Long#MIN_VALUE} for other texts, left to the full parser.
     */
    private static long parseFormatted(String text) {
        int n = text.length();
        if (n < SECOND_LENGTH + 1 || n > SECOND_LENGTH + 11 || text.charAt(n - 1) != 'Z'
                || text.charAt(10) != 'T' || n > SECOND_LENGTH + 1 && text.charAt(SECOND_LENGTH) != '.') {
            return Long.MIN_VALUE;
        }
        long nanos = 0;
        long scale = 100_000_000L;
        for (int i = SECOND_LENGTH + 1; i < n - 1; i++, scale /= 10) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            nanos += (c - '0') * scale;
        }
        Second second = lastSecond;
        if (!text.regionMatches(0, second.text(), 0, SECOND_LENGTH) || second.text().length() != SECOND_LENGTH) {
            try {
                Instant i = OffsetDateTime.parse(text.substring(0, SECOND_LENGTH) + "Z",
                        DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                second = new Second(i.getEpochSecond(), text.substring(0, SECOND_LENGTH));
                lastSecond = second;
            } catch (DateTimeParseException e) {
                return Long.MIN_VALUE;
            }
        }
        return second.epochSecond() * 1_000_000_000L + nanos;
    }

    /** Parses a duration like {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d} to ns. */
    public static long parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unitNanos;
        String number;
        if (t.endsWith("ms")) {
            unitNanos = TimeUnit.MILLISECONDS.toNanos(1);
            number = t.substring(0, t.length() - 2);
        } else if (!t.isEmpty() && "smhd".indexOf(t.charAt(t.length() - 1)) >= 0) {
            char unit = t.charAt(t.length() - 1);
            unitNanos = unit == 's' ? TimeUnit.SECONDS.toNanos(1) : unit == 'm' ? TimeUnit.MINUTES.toNanos(1)
                    : unit == 'h' ? TimeUnit.HOURS.toNanos(1) : TimeUnit.DAYS.toNanos(1);
            number = t.substring(0, t.length() - 1);
        } else {
            throw badDuration(text);
        }
        try {
            long n = Long.parseLong(number);
            if (n < 0) {
                throw badDuration(text);
            }
            return Math.multiplyExact(n, unitNanos);
        } catch (NumberFormatException | ArithmeticException e) {
            throw badDuration(text);
        }
    }

    /**
     * A time given as a duration before {@code nowNanos} ({@code 30m}) or as an RFC 3339 time; a Usage error naming
     * both forms for anything else.
     */
    public static long parseSince(String text, long nowNanos) {
        try {
            String t = text.trim();
            if (!t.isEmpty() && Character.isDigit(t.charAt(t.length() - 1)) || t.contains("T") || t.contains("-")) {
                return parseRfc3339(t);
            }
            return nowNanos - parseDuration(t);
        } catch (PoolException e) {
            throw new PoolException(ErrorKind.USAGE, "invalid time '" + text + "': expected a duration ago (a "
                    + "number with a unit: ms, s, m, h or d, e.g. 30m) or an RFC 3339 time (e.g. "
                    + "2026-11-22T01:02:03Z)");
        }
    }

    /** Now in ns since the epoch. */
    public static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static PoolException badDuration(String text) {
        return new PoolException(ErrorKind.USAGE, "invalid duration '" + text
                + "': expected a number with a unit: ms, s, m, h or d (e.g. 30m)");
    }
}
