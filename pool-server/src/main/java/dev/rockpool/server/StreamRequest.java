package dev.rockpool.server;

import dev.rockpool.filter.MessageFilter;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.Start;
import org.eclipse.jetty.util.Fields;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What every stream (tail, SSE, WebSocket) is asked for in its query: which messages ({@code tag} all required,
 * the event types of which one is wanted, {@code where} jq predicates), where to start ({@code since_seq} inclusive,
 * {@code tail=N} the last N that pass the filter, {@code since_time}) and what to do about messages overwritten
 * before they were sent ({@code gap_policy}). Parsed and checked before a response starts, so a bad request is a
 * plain error status.
 *
 * @param filter         the messages wanted
 * @param sinceSeq       start at this seq, or null
 * @param tail           start with the last N messages that pass the filter (0: from now on), or null
 * @param sinceTimeNanos start at the first message at or after this time, or null
 * @param gapPolicy      skip overwritten messages, or end with RetentionGap
 */
record StreamRequest(MessageFilter filter, Long sinceSeq, Long tail, Long sinceTimeNanos, GapPolicy gapPolicy) {
    /**
     * Parses the query. {@code eventQuery} names the parameter listing event types ({@code eventType=a,b}, also
     * repeated), or is null where event types are not taken.
     */
    static StreamRequest parse(Fields q, String eventQuery) {
        List<String> tags = new ArrayList<>();
        for (String tag : q.getValuesOrEmpty("tag")) {
            if (!tag.isBlank()) {
                tags.add(tag.strip());
            }
        }
        MessageFilter filter = MessageFilter.of(tags, eventQuery == null ? null : eventTypes(q, eventQuery),
                q.getValuesOrEmpty("where"));
        Long sinceSeq = number(q, "since_seq");
        Long tail = number(q, "tail");
        String sinceTime = q.getValue("since_time");
        if ((sinceSeq != null ? 1 : 0) + (tail != null ? 1 : 0) + (sinceTime != null ? 1 : 0) > 1) {
            throw new PoolException(ErrorKind.USAGE, "since_seq, tail and since_time exclude each other");
        }
        return new StreamRequest(filter, sinceSeq, tail, sinceTime == null ? null : TimeFormat.parseRfc3339(sinceTime),
                gapPolicy(q.getValue("gap_policy")));
    }

    /** The event types of {@code eventType=a,b} (comma-separated, the parameter repeatable), in order, once each. */
    static List<String> eventTypes(Fields q, String eventQuery) {
        Set<String> types = new LinkedHashSet<>();
        for (String value : q.getValuesOrEmpty(eventQuery)) {
            for (String type : value.split(",")) {
                if (type.chars().anyMatch(Character::isISOControl)) {
                    throw new PoolException(ErrorKind.USAGE, eventQuery + ": an event type may not hold control "
                            + "characters");
                }
                if (!type.isBlank()) {
                    types.add(type.strip());
                }
            }
        }
        return List.copyOf(types);
    }

    /** True if a start was asked for ({@code since_seq}, {@code tail} or {@code since_time}). */
    boolean hasStart() {
        return sinceSeq != null || tail != null || sinceTimeNanos != null;
    }

    /** A whole number {@code >= 0} or null when absent; Usage otherwise. */
    static Long number(Fields q, String name) {
        String text = q.getValue(name);
        if (text == null) {
            return null;
        }
        try {
            long n = Long.parseLong(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the Usage error below
        }
        throw new PoolException(ErrorKind.USAGE, name + "=" + text + ": expected a whole number >= 0");
    }

    /** plasmite's {@code continue|error}; {@code fail} (the CLI's word) means {@code error}. */
    private static GapPolicy gapPolicy(String text) {
        if (text == null) {
            return GapPolicy.CONTINUE;
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "continue": return GapPolicy.CONTINUE;
            case "error":
            case "fail": return GapPolicy.FAIL;
            default: throw new PoolException(ErrorKind.USAGE, "gap_policy=" + text + ": expected continue or error");
        }
    }

    /**
     * Where a stream of {@code pool} starts: {@code since_seq} (inclusive), {@code since_time}, {@code tail=N} (the
     * last N messages that pass the filter), else {@code byDefault}. A {@code tail} start is turned into the seq it
     * names here, so the client can be told (and resume from) exactly where its stream began.
     */
    Start start(Pool pool, Start byDefault) {
        if (sinceSeq != null) {
            return Start.seq(Math.max(1, sinceSeq));
        }
        if (sinceTimeNanos != null) {
            return Start.time(sinceTimeNanos);
        }
        if (tail == null) {
            return byDefault;
        }
        boolean byCount = filter.keepsAll() || tail == 0;
        try (Cursor c = pool.cursor(byCount ? Start.tail(tail) : Start.earliest())) {
            if (byCount) {
                return Start.seq(c.nextSeq());
            }
            ArrayDeque<Long> last = new ArrayDeque<>();
            for (Message m = c.next(); m != null; m = c.next()) {
                if (filter.test(m)) {
                    if (last.size() == tail) {
                        last.removeFirst();
                    }
                    last.addLast(m.seq());
                }
            }
            // Nothing matched: start where the pass ended, so nothing appended meanwhile is missed.
            return Start.seq(last.isEmpty() ? c.nextSeq() : last.getFirst());
        }
    }

    /** The seq a start names in {@code pool} now: the first message a cursor from there would read. */
    static long seqOf(Pool pool, Start start) {
        if (start.kind() == Start.Kind.SEQ) {
            return start.value();
        }
        try (Cursor c = pool.cursor(start)) {
            return c.nextSeq();
        }
    }
}
