package dev.rockpool.connect.source;

import dev.rockpool.connect.Choices;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.Start;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.Locale;

/** Parses the {@code start.from} and {@code stop.at} positions of the source connector. */
final class Positions {
    private Positions() {
    }

    /** Where a pool without a committed offset starts: earliest, latest, {@code seq:N} or {@code time:RFC3339}. */
    static Start parseStart(String text) {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("earliest")) {
            return Start.earliest();
        }
        if (lower.equals("latest")) {
            return Start.latest();
        }
        if (lower.startsWith("seq:")) {
            return Start.seq(parseSeq(t.substring(4), "start.from", text));
        }
        if (lower.startsWith("time:")) {
            return Start.time(parseTime(t.substring(5), "start.from", text));
        }
        throw new ConfigException("start.from", text, "expected earliest, latest, seq:N or time:RFC3339 "
                + "(e.g. time:2026-11-22T01:02:03Z)");
    }

    /** The end of a replay, or null for none: {@code seq:N} or {@code time:T}, both inclusive. */
    static StopAt parseStop(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("seq:")) {
            return new StopAt(parseSeq(t.substring(4), "stop.at", text), Long.MAX_VALUE, t);
        }
        if (lower.startsWith("time:")) {
            return new StopAt(Long.MAX_VALUE, parseTime(t.substring(5), "stop.at", text), t);
        }
        throw new ConfigException("stop.at", text, "expected seq:N or time:RFC3339 (e.g. time:2026-11-22T01:02:03Z)");
    }

    private static long parseSeq(String number, String key, String text) {
        try {
            long seq = Long.parseLong(number.trim());
            if (seq >= 1) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, text, "the seq must be a whole number >= 1");
    }

    private static long parseTime(String time, String key, String text) {
        try {
            return TimeFormat.parseRfc3339(time);
        } catch (PoolException e) {
            throw new ConfigException(key, text, e.getMessage());
        }
    }

    /**
     * The last message a replay emits: messages with a seq above {@code lastSeq} or a time after {@code lastTimeNanos}
     * are past the end.
     */
    record StopAt(long lastSeq, long lastTimeNanos, String text) {
        boolean isPast(Message m) {
            return m.seq() > lastSeq || m.timeNanos() > lastTimeNanos;
        }

        /** True when every message from {@code nextSeq} on is past the end, without reading one. */
        boolean reachedBefore(long nextSeq) {
            return nextSeq > lastSeq;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * The start positions a UI can offer as they are ({@code start.from}'s recommended values); {@code seq:N} and
     * {@code time:RFC3339} take an argument and are typed.
     */
    static final Choices START_CHOICES = Choices.of(Start.earliest().toString(), Start.latest().toString());

    /** ConfigDef validator for {@code start.from}. */
    static final ConfigDef.Validator START_VALIDATOR = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            parseStart((String) value);
        }

        @Override
        public String toString() {
            return "earliest, latest, seq:N, time:RFC3339";
        }
    };

    /** ConfigDef validator for {@code stop.at}. */
    static final ConfigDef.Validator STOP_VALIDATOR = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            parseStop((String) value);
        }

        @Override
        public String toString() {
            return "empty, seq:N, time:RFC3339";
        }
    };
}
